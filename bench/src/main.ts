/**
 * `npm run bench`: the quality bars of docs/contract.md, each measured
 * beside its baseline in the same run, repeated to show the spread. Writes
 * bench/results/<date>.json, .md and .svg (the headline figures against their
 * targets, drawn). BENCH_ONLY=<parts> runs some parts only
 * (and names the files after them); BENCH_QUICK=1 shortens the long runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { infra, ServiceName, workspaceRoot } from '@shop/testing';
import { BenchPlatform } from './bench-platform';
import { bareNodeFootprint } from './footprint';
import { gatewayBench } from './gateway.bench';
import { intakeRound, IntakeResult } from './intake.bench';
import type { Hop } from './hops';
import { costRound, CostRound, FloorSystem, idleRound, IdleRound, PlatformSystem } from './lifecycle.bench';
import { bareProducerLatency, benchDatabase, outboxPublishLag, replayRate } from './messaging.bench';
import { searchBench } from './search.bench';
import { busyPorts, npmStartRound } from './startup.bench';
import { headlineChart } from './report-chart';
import { estimateByIssue, estimateErrorP90, PhaseResult, waitingRoomBench, WaitingRoomRun } from './waiting-room.bench';
import { percentile, round, summarize } from './stats';

interface Row {
  figure: string;
  value: number;
  spread: string;
  baseline: string;
  ratio: string;
  target: string;
  pass: boolean;
}

const PARTS = ['messaging', 'gateway', 'intake', 'lifecycle', 'footprint', 'startup', 'waiting-room', 'search'] as const;
type Part = (typeof PARTS)[number];

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const QUICK = process.env.BENCH_QUICK === '1';
const num = (name: string, full: number, quick = full) => Number(process.env[name] ?? (QUICK ? quick : full));

function selectedParts(): Set<Part> {
  const only = process.env.BENCH_ONLY?.trim();
  if (!only) return new Set(PARTS);
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) throw new Error(`BENCH_ONLY: unknown part ${unknown.join(', ') || '(none)'}; parts: ${PARTS.join(', ')}`);
  return new Set(names as Part[]);
}

const mb = (v: number) => round(v, 1);

async function main(): Promise<void> {
  const parts = selectedParts();
  const rootDir = workspaceRoot();
  const log = (line: string) => process.stdout.write(`bench | ${line}\n`);
  const pg = await infra<{ ensurePostgres(o: object): Promise<{ adminUrl: string; startedHere: boolean }>; stopPostgres(o: object): Promise<boolean> }>('postgres');
  const kafkaInfra = infra<{ ensureKafka(o: object): Promise<{ brokers: string; startedHere: boolean }>; stopKafka(o: object): Promise<boolean> }>('kafka');
  const postgres = await pg.ensurePostgres({ rootDir, log });
  process.env.DATABASE_ADMIN_URL = postgres.adminUrl;
  const kafka = await kafkaInfra.ensureKafka({ rootDir, log });
  process.env.KAFKA_BROKERS = kafka.brokers;
  const brokers = kafka.brokers.split(',');
  const options = { brokers, rate: Number(process.env.BENCH_OUTBOX_RATE ?? 200), seconds: Number(process.env.BENCH_OUTBOX_SECONDS ?? 10), deadLetters: Number(process.env.BENCH_DEAD_LETTERS ?? 20_000) };
  const rows: Row[] = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = { parts: [...parts], quick: QUICK, repeats: REPEATS };
  /** Tables of their own, after the figures. */
  const sections: string[] = [];
  /** Seconds each bench platform took from nothing to ready: the startup figure's baseline. */
  const platformStarts: number[] = [];
  try {
    if (parts.has('messaging')) {
      raw.options = options;
      const db = await benchDatabase();
      try {
        const p50: number[] = [];
        const p99: number[] = [];
        const bare99: number[] = [];
        for (let i = 0; i < REPEATS; i++) {
          const bare = await bareProducerLatency(brokers, 1_000);
          bare99.push(percentile(bare, 99));
          const lags = await outboxPublishLag(db, options);
          p50.push(percentile(lags, 50));
          p99.push(percentile(lags, 99));
          log(`outbox run ${i + 1}: publish lag p50 ${round(p50[i])} ms, p99 ${round(p99[i])} ms (bare producer p99 ${round(bare99[i])} ms)`);
        }
        const lag50 = summarize(p50);
        const lag99 = summarize(p99);
        const bare = summarize(bare99);
        raw.outboxPublishLagMs = { p50: lag50, p99: lag99, bareProducerSendP99: bare };
        rows.push({ figure: `outbox publish lag p50 (${options.rate}/s for ${options.seconds} s)`, value: round(lag50.median), spread: `${round(lag50.min)}..${round(lag50.max)} ms`, baseline: `bare send p99 ${round(bare.median)} ms`, ratio: '-', target: '-', pass: true });
        rows.push({ figure: 'outbox publish lag p99', value: round(lag99.median), spread: `${round(lag99.min)}..${round(lag99.max)} ms`, baseline: `bare send p99 ${round(bare.median)} ms`, ratio: `${round(lag99.median / bare.median)}x bare`, target: '≤ 50 ms', pass: lag99.median <= 50 });

        const replay: number[] = [];
        const bareRate: number[] = [];
        for (let i = 0; i < REPEATS; i++) {
          const r = await replayRate(db, options);
          replay.push(r.replayPerSecond);
          bareRate.push(r.barePerSecond);
          log(`replay run ${i + 1}: ${Math.round(r.replayPerSecond)} dead letters/s (bare producer ${Math.round(r.barePerSecond)}/s)`);
        }
        const rate = summarize(replay);
        const bareSummary = summarize(bareRate);
        raw.deadLetterReplayPerSecond = { replay: rate, bareProducer: bareSummary };
        rows.push({ figure: `dead-letter replay (${options.deadLetters} records)`, value: Math.round(rate.median), spread: `${Math.round(rate.min)}..${Math.round(rate.max)} /s`, baseline: `bare producer ${Math.round(bareSummary.median)}/s`, ratio: `${round(rate.median / bareSummary.median)}x bare`, target: '≥ 5,000 /s', pass: rate.median >= 5_000 });
      } finally {
        await db.drop();
      }
    }

    if (parts.has('gateway')) {
      // The nginx baseline needs nginx: installed from Debian on a fresh machine (as root), like npm test's packages.
      try {
        require(join(rootDir, 'dist', 'tools', 'infra', 'system-packages.js')).ensurePackages(['nginx'], log);
      } catch (err) {
        log(`nginx: ${(err as Error).message}`);
        notes.push(`nginx baseline not measured: ${(err as Error).message}`);
      }
      const gw = { rps: [] as number[], direct: [] as number[], nginx: [] as number[], added50: [] as number[], added99: [] as number[], gatewayCpu: [] as number[], catalogCpu: [] as number[] };
      for (let i = 0; i < REPEATS; i++) {
        const r = await gatewayBench({ seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 10), connections: 50, repeat: i }, (line) => log(`gateway run ${i + 1}: ${line}`));
        gw.rps.push(r.gateway.rps);
        gw.direct.push(r.direct.rps);
        if (r.nginx) gw.nginx.push(r.nginx.rps);
        gw.added50.push(r.halfPeak.gateway.p50 - r.halfPeak.direct.p50);
        gw.added99.push(r.halfPeak.gateway.p99 - r.halfPeak.direct.p99);
        gw.gatewayCpu.push(r.cpuPerRequestUs.gateway);
        gw.catalogCpu.push(r.cpuPerRequestUs.catalogDirect);
      }
      const gwRps = summarize(gw.rps);
      const directRps = summarize(gw.direct);
      const ratio = summarize(gw.rps.map((v, i) => v / gw.direct[i]));
      raw.gateway = gw;
      rows.push({ figure: 'gateway proxied read (GET /api/products/:id, 50 connections)', value: Math.round(gwRps.median), spread: `${Math.round(gwRps.min)}..${Math.round(gwRps.max)} req/s`, baseline: `direct ${Math.round(directRps.median)} req/s`, ratio: `${round(ratio.median)}x direct`, target: '≥ 0.8x direct', pass: ratio.median >= 0.8 });
      if (gw.nginx.length === gw.rps.length) {
        const nginxRatio = summarize(gw.rps.map((v, i) => v / gw.nginx[i]));
        rows.push({ figure: 'gateway vs nginx reverse proxy (1 worker, keep-alive)', value: Math.round(gwRps.median), spread: `${round(nginxRatio.min)}..${round(nginxRatio.max)}x`, baseline: `nginx ${Math.round(summarize(gw.nginx).median)} req/s`, ratio: `${round(nginxRatio.median)}x nginx`, target: '≥ 1x nginx', pass: nginxRatio.median >= 1 });
      }
      const a50 = summarize(gw.added50);
      const a99 = summarize(gw.added99);
      rows.push({ figure: 'gateway added latency p50 at half of the direct peak', value: round(a50.median), spread: `${round(a50.min)}..${round(a50.max)} ms`, baseline: 'direct call, same rate', ratio: '-', target: '-', pass: true });
      rows.push({ figure: 'gateway added latency p99 at half of the direct peak', value: round(a99.median), spread: `${round(a99.min)}..${round(a99.max)} ms`, baseline: 'direct call, same rate', ratio: '-', target: '≤ 2 ms', pass: a99.median <= 2 });
      const gatewayCpu = summarize(gw.gatewayCpu);
      const catalogCpu = summarize(gw.catalogCpu);
      rows.push({ figure: 'gateway CPU per proxied read (user + system, at peak)', value: Math.round(gatewayCpu.median), spread: `${Math.round(gatewayCpu.min)}..${Math.round(gatewayCpu.max)} µs`, baseline: `catalog ${Math.round(catalogCpu.median)} µs per direct read`, ratio: `${round(gatewayCpu.median / catalogCpu.median)}x catalog`, target: '-', pass: true });
    }

    // The footprint under load is sampled while the intake and lifecycle rounds run, so it needs them.
    const footprint = parts.has('footprint');
    const runIntake = parts.has('intake') || footprint;
    const runLifecycle = parts.has('lifecycle') || footprint;
    const intake: IntakeResult[] = [];
    const intakeOptions = {
      seconds: num('BENCH_INTAKE_SECONDS', 5, 3),
      warmupSeconds: num('BENCH_INTAKE_WARMUP_SECONDS', 3, 1),
      connections: (process.env.BENCH_INTAKE_CONNECTIONS ?? '8,16,32,64').split(',').map(Number),
      // The gateway lets one customer place 5 orders/s (burst 10): enough customers that its limiter never caps the intake.
      customers: 2_000,
      products: 20,
      pgbench: { seconds: num('BENCH_PGBENCH_SECONDS', 10, 5), clients: num('BENCH_PGBENCH_CLIENTS', 8), scale: num('BENCH_PGBENCH_SCALE', 1) },
      settleMs: num('BENCH_SETTLE_MS', 10_000, 3_000),
      // e.g. catalog,order: the intake without the work each order sets off downstream (catalog feeds the snapshot).
      apps: process.env.BENCH_INTAKE_APPS ? (process.env.BENCH_INTAKE_APPS.split(',').map((s) => s.trim()) as ServiceName[]) : undefined,
    };
    if (intakeOptions.connections.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('BENCH_INTAKE_CONNECTIONS: a comma list of connection counts, e.g. 8,16,32,64');
    const lifecycleOptions = {
      rates: (process.env.BENCH_LIFECYCLE_RATES ?? '10,25,50,100').split(',').map(Number),
      /** The top rate holds for a minute (its latency bars are for 60 s); the others half as long. */
      topSeconds: num('BENCH_LIFECYCLE_SECONDS', 60, 15),
      seconds: num('BENCH_LIFECYCLE_SHORT_SECONDS', 30, 10),
      idleSeconds: num('BENCH_IDLE_SECONDS', 20, 10),
      settleSeconds: 60,
    };
    if (lifecycleOptions.rates.some((r) => !(r > 0))) throw new Error('BENCH_LIFECYCLE_RATES: a comma list of orders per second, e.g. 10,25,50,100');
    const topRate = Math.max(...lifecycleOptions.rates);
    const rounds: CostRound[] = [];
    const idles: IdleRound[] = [];
    for (let i = 0; i < REPEATS; i++) {
      if (runIntake) {
        const r = await intakeRound(intakeOptions, (line) => log(`intake run ${i + 1}: ${line}`));
        intake.push(r);
        platformStarts.push(r.platformStartSeconds);
      }
      if (runLifecycle) {
        // Platform and floor side by side for the whole repeat, the one not measured frozen (SIGSTOP) so its
        // background costs the other nothing; each round starts once the system measured is back at rest.
        const platform = await PlatformSystem.start();
        platformStarts.push(platform.bench.startSeconds);
        const floor = await FloorSystem.start().catch(async (err) => {
          await platform.stop();
          throw err;
        });
        try {
          await platform.seed();
          const idle: Record<string, number> = {};
          for (const [system, other] of [[platform, floor], [floor, platform]] as const) {
            other.freeze();
            const r = await idleRound(system, lifecycleOptions.idleSeconds);
            other.thaw();
            idles.push(r);
            idle[system.name] = r.machineShare * availableParallelism();
            log(`lifecycle run ${i + 1}: ${system.name} at rest: ${round(100 * r.machineShare, 1)}% of the machine (Postgres ${round(100 * r.postgresShare, 1)}%, Kafka ${round(100 * r.kafkaShare, 1)}%)`);
          }
          for (const rate of lifecycleOptions.rates) {
            for (const [system, other] of [[platform, floor], [floor, platform]] as const) {
              other.freeze();
              try {
                const seconds = rate === topRate ? lifecycleOptions.topSeconds : lifecycleOptions.seconds;
                const r = await costRound(system, idle[system.name], rate, seconds, lifecycleOptions.settleSeconds);
                if (system === platform && rate === topRate) r.hops = await platform.hops();
                rounds.push(r);
                const p = (v: number[], q: number) => round(percentile(v, q), 1);
                log(
                  `lifecycle run ${i + 1}: ${system.name} at ${rate}/s: ${round(r.cpuMsPerOrder.system, 1)} ms CPU per delivered order ` +
                    `(${Object.entries(r.cpuMsPerOrder.processes).map(([k, v]) => `${k} ${round(v, 1)}`).join(', ')}, Postgres ${round(r.cpuMsPerOrder.postgres, 1)}, Kafka ${round(r.cpuMsPerOrder.kafka, 1)}); ` +
                    `CONFIRMED p50 ${p(r.confirmed, 50)} / p99 ${p(r.confirmed, 99)} ms, DELIVERED p50 ${p(r.deliveredMs, 50)} / p99 ${p(r.deliveredMs, 99)} ms; ` +
                    `${r.delivered}/${r.placed} delivered, ${r.refused} refused; ${round(r.statementsPerOrder, 1)} statements, ${round(r.kafkaRequestsPerOrder, 1)} Kafka requests per order`,
                );
              } finally {
                other.thaw();
              }
            }
          }
        } finally {
          await floor.stop();
          await platform.stop();
        }
      }
    }

    if (parts.has('intake')) {
      const accepted = summarize(intake.map((r) => r.acceptedPerSecond));
      const tps = summarize(intake.map((r) => r.pgbenchTps));
      const ratio = summarize(intake.map((r) => r.acceptedPerSecond / r.pgbenchTps));
      raw.intake = { options: intakeOptions, runs: intake.map(({ idleRss: _i, loadRss: _l, ...r }) => r) };
      const baseline = `pgbench -N ${Math.round(tps.median)} tps (${intakeOptions.pgbench.clients} clients, scale ${intakeOptions.pgbench.scale})`;
      const only = intakeOptions.apps ? `, only ${intakeOptions.apps.join('+')} running` : '';
      const peakAt = [...new Set(intake.map((r) => r.connections))].join('/');
      rows.push({ figure: `order intake through the gateway (POST /api/orders, peak over ${intakeOptions.connections.join('/')} connections: at ${peakAt}, ${intakeOptions.seconds} s each${only})`, value: Math.round(accepted.median), spread: `${Math.round(accepted.min)}..${Math.round(accepted.max)} orders/s`, baseline, ratio: `${round(ratio.median)}x pgbench`, target: '≥ 1,500 /s', pass: accepted.median >= 1_500 });
      rows.push({ figure: 'order intake vs pgbench simple-update, same Postgres', value: Math.round(accepted.median), spread: `${round(ratio.min)}..${round(ratio.max)}x`, baseline, ratio: `${round(ratio.median)}x pgbench`, target: '≥ 0.5x pgbench', pass: ratio.median >= 0.5 });
    }

    if (parts.has('lifecycle')) {
      raw.lifecycle = {
        options: lifecycleOptions,
        method:
          'CPU from /proc (utime + stime) of each process of the system, Postgres (every server process) and the Kafka JVM, from the first order to the reading just after the last one was delivered, divided by the orders delivered; the other system frozen meanwhile. Latency: POST answer (client clock) to the CreateTime of the order.confirmed / order.delivered record, read from the order topic after the round',
        idle: idles,
        rounds: rounds.map(({ confirmed, deliveredMs, ...r }) => ({
          ...r,
          confirmedMs: { p50: percentile(confirmed, 50), p99: percentile(confirmed, 99) },
          deliveredMs: { p50: percentile(deliveredMs, 50), p99: percentile(deliveredMs, 99) },
        })),
      };
      lifecycleRows(idles, rounds, lifecycleOptions, rows, sections, notes);
      const top = rounds.filter((r) => r.system === 'platform' && r.rate === topRate && r.hops);
      if (top.length) sections.push(hopTable(top.map((r) => r.hops as Hop[]), `${topRate} orders/s`));
    }

    if (footprint) {
      const bare: Array<{ idle: number; load: number }> = [];
      for (let i = 0; i < REPEATS; i++) {
        bare.push(await bareNodeFootprint(num('BENCH_SETTLE_MS', 10_000, 3_000), 5));
        log(`footprint run ${i + 1}: bare Node http server ${mb(bare[i].idle)} MB idle, ${mb(bare[i].load)} MB under load`);
      }
      const bareIdle = summarize(bare.map((b) => b.idle));
      const bareLoad = summarize(bare.map((b) => b.load));
      const apps = [...new Set(intake.flatMap((r) => Object.keys(r.idleRss)))].sort();
      const idle: Record<string, ReturnType<typeof summarize>> = {};
      const load: Record<string, ReturnType<typeof summarize>> = {};
      for (const app of apps) {
        idle[app] = summarize(intake.map((r) => r.idleRss[app]).filter((v) => v !== undefined));
        // Per repeat: the largest the intake and the platform's lifecycle rounds made it use.
        const perRepeat = rounds.filter((r) => r.system === 'platform').length / Math.max(1, REPEATS);
        const lifecycleMax = (i: number) => Math.max(0, ...rounds.filter((r) => r.system === 'platform').slice(i * perRepeat, (i + 1) * perRepeat).map((r) => r.rssMaxMb[app] ?? 0));
        load[app] = summarize(intake.map((r, i) => Math.max(r.loadRss[app] ?? 0, lifecycleMax(i))));
        log(`footprint ${app}: ${mb(idle[app].median)} MB idle, ${mb(load[app].median)} MB max under load`);
      }
      raw.footprintMb = { idle, load, bareNode: { idle: bareIdle, load: bareLoad } };
      for (const app of apps) {
        rows.push({ figure: `RSS idle: ${app}`, value: mb(idle[app].median), spread: `${mb(idle[app].min)}..${mb(idle[app].max)} MB`, baseline: `bare Node http server ${mb(bareIdle.median)} MB`, ratio: `${round(idle[app].median / bareIdle.median)}x bare`, target: '≤ 120 MB', pass: idle[app].median <= 120 });
      }
      for (const app of apps) {
        rows.push({ figure: `RSS max under load (intake, lifecycle): ${app}`, value: mb(load[app].median), spread: `${mb(load[app].min)}..${mb(load[app].max)} MB`, baseline: `bare Node http server under load ${mb(bareLoad.median)} MB`, ratio: `${round(load[app].median / bareLoad.median)}x bare`, target: '≤ 200 MB', pass: load[app].median <= 200 });
      }
    }

    if (parts.has('waiting-room')) {
      const roomOptions = {
        calibration: {
          startRate: num('BENCH_ROOM_CALIBRATION_START_RATE', 10),
          factor: 1.5,
          stepSeconds: num('BENCH_ROOM_CALIBRATION_STEP_SECONDS', 10),
          maxRate: num('BENCH_ROOM_CALIBRATION_MAX_RATE', 200),
          keepUpMs: num('BENCH_ROOM_KEEP_UP_MS', 250),
        },
        sustainableSeconds: num('BENCH_ROOM_SUSTAINABLE_SECONDS', 30, 20),
        spikeMultiple: num('BENCH_ROOM_SPIKE_MULTIPLE', 3),
        spikeSeconds: num('BENCH_ROOM_SPIKE_SECONDS', 60),
        abandonShare: num('BENCH_ROOM_ABANDON_SHARE', 0.05),
      };
      const runs: WaitingRoomRun[] = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await waitingRoomBench(roomOptions, (line) => log(`waiting room run ${i + 1}: ${line}`)));
      raw.waitingRoom = {
        options: roomOptions,
        runs: runs.map(({ phases, ...run }) => ({
          ...run,
          phases: phases.map(({ confirmMs, confirmFromTicketMs, waits, ...p }) => ({
            ...p,
            confirmMs: { p50: percentile(confirmMs, 50), p99: percentile(confirmMs, 99) },
            confirmFromTicketMs: { p50: percentile(confirmFromTicketMs, 50), p99: percentile(confirmFromTicketMs, 99) },
            estimateErrorP90: estimateErrorP90(waits),
            estimateByIssue: estimateByIssue(waits),
            longestWaitSeconds: Math.max(0, ...waits.map((w) => w.real)),
          })),
        })),
      };
      waitingRoomRows(runs, roomOptions, rows, sections);
    }

    if (parts.has('search')) {
      const products = num('BENCH_SEARCH_PRODUCTS', 100_000, 20_000);
      const requests = num('BENCH_SEARCH_REQUESTS', 600, 120);
      const runs = [];
      for (let i = 0; i < REPEATS; i++) {
        const r = await searchBench({ products, requests }, (line) => log(`search run ${i + 1}: ${line}`));
        log(
          `search run ${i + 1}: endpoint (full-text) p50 ${round(r.ftsHttpMs.p50)} ms, p99 ${round(r.ftsHttpMs.p99)} ms; ILIKE query alone p50 ${round(r.ilikeSqlMs.p50)} ms, p99 ${round(r.ilikeSqlMs.p99)} ms`,
        );
        runs.push(r);
      }
      raw.search = {
        method:
          'products loaded by one INSERT ... SELECT into a new catalog database, then ANALYZE; each search of a fixed set timed through GET /api/products?q= (the catalog process, full-text) and, alternating with it, the ILIKE list query it replaced from a pg client (no HTTP); one request at a time (bench/src/search.bench.ts)',
        runs,
      };
      const at = `${Math.round(products / 1000)}k products`;
      for (const pct of ['p50', 'p99'] as const) {
        const fts = summarize(runs.map((r) => r.ftsHttpMs[pct]));
        const ilike = summarize(runs.map((r) => r.ilikeSqlMs[pct]));
        const ratio = summarize(runs.map((r) => r.ilikeSqlMs[pct] / r.ftsHttpMs[pct]));
        rows.push({
          figure: `product search ${pct}, GET /api/products?q= full-text (${at})`,
          value: round(fts.median),
          spread: `${round(fts.min)}..${round(fts.max)} ms`,
          baseline: `ILIKE list query alone ${round(ilike.median)} ms`,
          ratio: `${round(ratio.median)}x faster`,
          target: '-',
          pass: true,
        });
      }
    }

    if (parts.has('startup')) {
      const busy = await busyPorts();
      if (busy.length) {
        log(`startup: ports ${busy.join(', ')} are in use (another npm start?), not measured`);
        notes.push(`npm start to all ready not measured: ports ${busy.join(', ')} were in use`);
      } else {
        if (platformStarts.length === 0) {
          for (let i = 0; i < REPEATS; i++) {
            const bench = await BenchPlatform.start();
            platformStarts.push(bench.startSeconds);
            await bench.stop();
          }
        }
        const ready: number[] = [];
        for (let i = 0; i < REPEATS; i++) ready.push((await npmStartRound((line) => log(`startup run ${i + 1}: ${line}`))).readySeconds);
        const r = summarize(ready);
        const base = summarize(platformStarts);
        raw.startupSeconds = { npmStart: r, benchPlatform: base };
        rows.push({ figure: 'npm start to all ready (dependencies installed)', value: round(r.median, 1), spread: `${round(r.min, 1)}..${round(r.max, 1)} s`, baseline: `the 6 apps on a new database, no install/build/provisioning: ${round(base.median, 1)} s`, ratio: `${round(r.median / base.median)}x`, target: '≤ 30 s', pass: r.median <= 30 });
      }
    }
  } finally {
    if (kafka.startedHere) await kafkaInfra.stopKafka({ rootDir, log });
    if (postgres.startedHere) await pg.stopPostgres({ rootDir, log });
  }
  const date = new Date().toISOString().slice(0, 10);
  const name = parts.size === PARTS.length ? date : `${date}-only-${[...parts].join('-')}`;
  const dir = join(rootDir, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const machine = `${process.platform} ${process.arch}, ${require('node:os').cpus().length} cores, Node ${process.version}`;
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ date: new Date().toISOString(), machine, rows, notes, raw }, null, 2) + '\n');
  writeFileSync(join(dir, `${name}.svg`), headlineChart(rows, `Benchmarks, ${date}: headline figures`));
  const table = [
    `# Benchmarks, ${date}`,
    '',
    `Machine: ${machine}. Each figure is the median of ${REPEATS} runs in one process tree; the spread is min..max.`,
    '',
    `![The headline figures against their targets](./${name}.svg)`,
    '',
    '| figure | value | spread | baseline (same run) | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.spread} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.target === '-' ? 'info' : r.pass ? 'pass' : 'FAIL'} |`),
    '',
    ...(notes.length ? [...notes.map((n) => `- ${n}`), ''] : []),
    ...sections,
  ].join('\n');
  writeFileSync(join(dir, `${name}.md`), table);
  process.stdout.write(`\n${table}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

/**
 * Each arrow of the lifecycle (bench/src/hops.ts), median over the runs: where
 * its counts fall behind or its times grow is where an order waits.
 */
function hopTable(runs: Hop[][], at: string): string {
  const arrows = new Map<string, Hop[]>();
  for (const hops of runs) {
    for (const h of hops) {
      // The consumer group carries the run's topic prefix: name it by what follows.
      const key = `${h.producer} \`${h.type}\` → ${h.consumer.split('.').pop()}`;
      arrows.set(key, [...(arrows.get(key) ?? []), h]);
    }
  }
  const med = (hs: Hop[], pick: (h: Hop) => number) => Math.round(summarize(hs.map(pick)).median);
  return [
    `## Hops of the lifecycle at ${at} (median of the runs)`,
    '',
    'From the services\' tables: outbox row written (its transaction began) → marked published after the broker\'s acknowledgement (relay), published → the consumer\'s transaction began (pickup; a consumer can begin a few ms before the mark), in ms; counts of the round\'s events.',
    '',
    '| arrow | written | published | applied | relay p50 | relay p99 | pickup p50 | pickup p99 |',
    '|---|---|---|---|---|---|---|---|',
    ...[...arrows].map(
      ([key, hs]) =>
        `| ${key} | ${med(hs, (h) => h.written)} | ${med(hs, (h) => h.published)} | ${med(hs, (h) => h.applied)} | ${med(hs, (h) => h.relay.p50)} | ${med(hs, (h) => h.relay.p99)} | ${med(hs, (h) => h.pickup.p50)} | ${med(hs, (h) => h.pickup.p99)} |`,
    ),
    '',
  ].join('\n');
}

/**
 * The lifecycle's figures: CPU per delivered order against the floor at
 * every rate, the platform at rest, the latencies at the top rate and at 25/s
 * against the floor's, refusals; and a table per rate of where the CPU went.
 */
function lifecycleRows(
  idles: IdleRound[],
  rounds: CostRound[],
  options: { rates: number[]; topSeconds: number; seconds: number },
  rows: Row[],
  sections: string[],
  notes: string[],
): void {
  const of = (system: string, rate: number) => rounds.filter((r) => r.system === system && r.rate === rate);
  const med = (values: number[]) => summarize(values);
  const idle = med(idles.filter((r) => r.system === 'platform').map((r) => 100 * r.machineShare));
  const floorIdle = med(idles.filter((r) => r.system === 'floor').map((r) => 100 * r.machineShare));
  rows.push({ figure: 'the platform at rest, no traffic (its processes, Postgres, Kafka)', value: round(idle.median, 1), spread: `${round(idle.min, 1)}..${round(idle.max, 1)} % of the machine`, baseline: `floor ${round(floorIdle.median, 1)} %`, ratio: '-', target: '≤ 5 %', pass: idle.median <= 5 });
  const topRate = Math.max(...options.rates);
  for (const rate of options.rates) {
    const ours = of('platform', rate);
    const floor = of('floor', rate);
    if (!ours.length || !floor.length) continue;
    const cpu = med(ours.map((r) => r.cpuMsPerOrder.system));
    const floorCpu = med(floor.map((r) => r.cpuMsPerOrder.system));
    const ratio = med(ours.map((r, i) => r.cpuMsPerOrder.system / (floor[i] ?? floor[0]).cpuMsPerOrder.system));
    const bar = rate === topRate ? '≤ 2.5x floor and ≤ 10 ms' : '≤ 2.5x floor';
    rows.push({
      figure: `CPU per delivered order at ${rate} orders/s (services, gateway, Postgres, Kafka)`,
      value: round(cpu.median, 1),
      spread: `${round(cpu.min, 1)}..${round(cpu.max, 1)} ms`,
      baseline: `floor ${round(floorCpu.median, 1)} ms`,
      ratio: `${round(ratio.median)}x floor`,
      target: bar,
      pass: ratio.median <= 2.5 && (rate !== topRate || cpu.median <= 10),
    });
  }
  const top = of('platform', topRate);
  const topFloor = of('floor', topRate);
  if (top.length) {
    const at = `${topRate} orders/s for ${options.topSeconds} s`;
    const refused = med(top.map((r) => r.refused));
    rows.push({ figure: `orders refused or not sent (${at})`, value: refused.median, spread: `${refused.min}..${refused.max}`, baseline: '-', ratio: '-', target: '0', pass: refused.max === 0 });
    for (const [label, pick, target] of [
      ['placed → CONFIRMED', (r: CostRound) => r.confirmed, 150],
      ['placed → DELIVERED (courier delays 0)', (r: CostRound) => r.deliveredMs, 400],
    ] as const) {
      for (const q of [50, 99]) {
        const v = med(top.map((r) => percentile(pick(r), q)));
        const f = med(topFloor.map((r) => percentile(pick(r), q)));
        rows.push({
          figure: `${label} p${q} (${at})`,
          value: round(v.median, 1),
          spread: `${round(v.min, 1)}..${round(v.max, 1)} ms`,
          baseline: `floor ${round(f.median, 1)} ms`,
          ratio: `${round(v.median / f.median)}x floor`,
          target: q === 99 ? `≤ ${target} ms` : '-',
          pass: q !== 99 || v.median <= target,
        });
      }
    }
  }
  const at25 = of('platform', 25);
  const floor25 = of('floor', 25);
  if (at25.length && floor25.length) {
    const v = med(at25.map((r) => percentile(r.confirmed, 99)));
    const f = med(floor25.map((r) => percentile(r.confirmed, 99)));
    rows.push({ figure: 'placed → CONFIRMED p99 at 25 orders/s', value: round(v.median, 1), spread: `${round(v.min, 1)}..${round(v.max, 1)} ms`, baseline: `floor ${round(f.median, 1)} ms`, ratio: `${round(v.median / f.median)}x floor`, target: '≤ 3x floor', pass: v.median <= 3 * f.median });
  }
  const missing = rounds.filter((r) => r.delivered < r.placed);
  for (const r of missing) notes.push(`${r.system} at ${r.rate}/s: ${r.placed - r.delivered} of ${r.placed} orders were not seen DELIVERED within the round's settle time; they count as infinitely late`);

  const lines = ['## CPU per delivered order, by process (ms, median of the runs)', '', 'The platform\'s rows, then the floor\'s (the same lifecycle on bare kafkajs and pg, in the same run). "Machine" is everything the machine did in the window but the load generator, other processes included.', ''];
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r.cpuMsPerOrder.processes)))];
  lines.push(`| system | rate | ${names.join(' | ')} | Postgres | Kafka | system | machine | load generator | statements | Kafka requests | CONFIRMED p50 / p99 | DELIVERED p50 / p99 |`);
  lines.push(`|---|---|${names.map(() => '---|').join('')}---|---|---|---|---|---|---|---|---|`);
  for (const system of ['platform', 'floor']) {
    for (const rate of options.rates) {
      const rs = of(system, rate);
      if (!rs.length) continue;
      const m = (pick: (r: CostRound) => number) => round(med(rs.map(pick)).median, 1);
      const lat = (pick: (r: CostRound) => number[]) => `${m((r) => percentile(pick(r), 50))} / ${m((r) => percentile(pick(r), 99))}`;
      lines.push(
        `| ${system} | ${rate}/s | ${names.map((n) => (rs[0].cpuMsPerOrder.processes[n] === undefined ? '-' : m((r) => r.cpuMsPerOrder.processes[n] ?? 0))).join(' | ')} | ${m((r) => r.cpuMsPerOrder.postgres)} | ${m((r) => r.cpuMsPerOrder.kafka)} | ${m((r) => r.cpuMsPerOrder.system)} | ${m((r) => r.cpuMsPerOrder.machine)} | ${m((r) => r.cpuMsPerOrder.load)} | ${m((r) => r.statementsPerOrder)} | ${m((r) => r.kafkaRequestsPerOrder)} | ${lat((r) => r.confirmed)} | ${lat((r) => r.deliveredMs)} |`,
      );
    }
  }
  lines.push('');
  sections.push(lines.join('\n'));
}

/** The waiting room's figures: the spike with the room against the sustainable rate, beside the spike without it. */
function waitingRoomRows(
  runs: WaitingRoomRun[],
  o: { calibration: { stepSeconds: number; keepUpMs: number }; spikeMultiple: number; spikeSeconds: number; abandonShare: number },
  rows: Row[],
  sections: string[],
): void {
  const of = (phase: PhaseResult['phase']) => runs.map((r) => r.phases.find((p) => p.phase === phase) as PhaseResult);
  const base = of('sustainable');
  const without = of('spike without the room');
  const withRoom = of('spike with the room');
  const rates = runs.map((r) => r.sustainableRate).join(' and ');
  const spike = `${runs.map((r) => r.sustainableRate * o.spikeMultiple).join(' and ')} orders/s for ${o.spikeSeconds} s, ${o.spikeMultiple}x the sustainable ${rates}/s found in each run`;
  const p99 = (ms: number[]) => percentile(ms, 99);
  const baseP99 = summarize(base.map((p) => p99(p.confirmMs)));
  const fmt = (s: ReturnType<typeof summarize>, digits = 0) => `${round(s.min, digits)}..${round(s.max, digits)}`;
  const withP99 = summarize(withRoom.map((p) => p99(p.confirmMs)));
  const ticketP99 = summarize(withRoom.map((p) => p99(p.confirmFromTicketMs)));
  const withoutP99 = summarize(without.map((p) => p99(p.confirmMs)));
  // Each run against its own baseline (its sustainable rate and its p99 were measured in that run), then the median.
  const against = (spikes: PhaseResult[], ms: (p: PhaseResult) => number[]) => summarize(spikes.map((p, i) => p99(ms(p)) / p99(base[i].confirmMs)));
  const withRatio = against(withRoom, (p) => p.confirmMs);
  const ticketRatio = against(withRoom, (p) => p.confirmFromTicketMs);
  const withoutRatio = against(without, (p) => p.confirmMs);
  const times = (r: ReturnType<typeof summarize>) => `${round(r.median)}x (${round(r.min)}..${round(r.max)})`;
  rows.push({ figure: `placed → CONFIRMED p99 at the sustainable rate (${rates}/s, without the room)`, value: round(baseP99.median), spread: `${fmt(baseP99)} ms`, baseline: '-', ratio: '-', target: '-', pass: true });
  rows.push({ figure: `placed → CONFIRMED p99, spike without the room (${spike})`, value: round(withoutP99.median), spread: `${fmt(withoutP99)} ms`, baseline: 'its run\'s sustainable p99', ratio: times(withoutRatio), target: '-', pass: true });
  rows.push({ figure: `placed → CONFIRMED p99, spike with the room, every order placed in it`, value: round(withP99.median), spread: `${fmt(withP99)} ms`, baseline: 'its run\'s sustainable p99', ratio: times(withRatio), target: '≤ 2x sustainable', pass: withRatio.median <= 2 });
  rows.push({ figure: `placed → CONFIRMED p99, spike with the room, orders admitted from a ticket`, value: round(ticketP99.median), spread: `${fmt(ticketP99)} ms`, baseline: 'its run\'s sustainable p99', ratio: times(ticketRatio), target: '≤ 2x sustainable', pass: ticketRatio.median <= 2 });
  const err = summarize(withRoom.map((p) => estimateErrorP90(p.waits)));
  rows.push({ figure: 'wait estimate error p90, |estimate − real| / real (a real wait under 1 s counts as 1 s)', value: round(err.median * 100), spread: `${fmt({ ...err, min: err.min * 100, max: err.max * 100 })} %`, baseline: '-', ratio: '-', target: '≤ 50 %', pass: err.median <= 0.5 });
  const longest = summarize(withRoom.map((p) => Math.max(0, ...p.waits.map((w) => w.real))));
  rows.push({ figure: 'longest wait in the room', value: round(longest.median, 1), spread: `${fmt(longest, 1)} s`, baseline: '-', ratio: '-', target: '-', pass: true });
  const problems = runs.flatMap((r) => r.phases.flatMap((p) => p.problems));
  rows.push({ figure: 'tickets and orders not accounted for (lost, charged twice, stock off, a ticket neither admitted nor expired)', value: problems.length, spread: '-', baseline: '-', ratio: '-', target: '0', pass: problems.length === 0 });
  const lines = [
    `## The waiting room: a flash sale of ${spike}`,
    '',
    `Each run first finds the rate the platform sustains on the machine as it is then: steps of ${o.calibration.stepSeconds} s with the room closed, each 1.5 times the last, until placed → CONFIRMED p99 goes over ${o.calibration.keepUpMs} ms; the last step within it is the sustainable rate. The room's target (placed → confirmed p90) is then set to the p90 of the sustainable phase, what the shop gives at that rate, and the order service restarted with it.`,
    '',
    '| run | calibration steps (rate: p99) | sustainable rate | room target |',
    '|---|---|---|---|',
    ...runs.map((r, i) => `| ${i + 1} | ${r.calibration.map((x) => `${x.rate}/s: ${x.p99Ms} ms`).join(', ')} | ${r.sustainableRate}/s | ${r.targetMs} ms |`),
    '',
    `Every checkout is a different customer; ${Math.round(o.abandonShare * 100)} % of them, when given a ticket, close the page at once (their tickets must expire), the others follow it as the storefront does. Per run:`,
    '',
    '| run | phase | checkouts | refused | placed at once | tickets | tickets ended | room open (s) | CONFIRMED p50 / p99 (ms) | from a ticket p50 / p99 (ms) | estimate error p90 | longest wait (s) | terminal / orders | problems |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.flatMap(({ phases }, i) =>
      phases
        .filter((p) => p.phase !== 'calibration')
        .map(
        (p) =>
          `| ${i + 1} | ${p.phase} | ${p.checkouts} | ${p.refused ? `${p.refused} (${Object.entries(p.refusals).map(([k, v]) => `${k} ${v}`).join(', ')})` : 0} | ${p.direct} | ${p.tickets} | ${Object.entries(p.ticketEnds).map(([k, v]) => `${k} ${v}`).join(', ') || '-'} | ${p.roomOpenSeconds} | ${round(percentile(p.confirmMs, 50))} / ${round(p99(p.confirmMs))} | ${p.confirmFromTicketMs.length ? `${round(percentile(p.confirmFromTicketMs, 50))} / ${round(p99(p.confirmFromTicketMs))}` : '-'} | ${p.waits.length ? `${round(estimateErrorP90(p.waits) * 100)} %` : '-'} | ${p.waits.length ? round(Math.max(...p.waits.map((w) => w.real)), 1) : '-'} | ${p.terminal} / ${p.orders} | ${p.problems.join('; ') || 'none'} |`,
      ),
    ),
    '',
    'The estimate against the real wait, by when the tickets were issued (the spike with the room; equal slices of the admitted tickets, in line order):',
    '',
    '| run | issued (s into the spike) | tickets | estimate p50 (s) | real wait p50 (s) | error p90 |',
    '|---|---|---|---|---|---|',
    ...withRoom.flatMap((p, i) =>
      estimateByIssue(p.waits).map((s) => `| ${i + 1} | ${s.issuedFrom}..${s.issuedTo} | ${s.tickets} | ${s.estimateP50} | ${s.realP50} | ${round(s.errorP90 * 100)} % |`),
    ),
    '',
    'The room every ten seconds (the spike with the room, from the admin view):',
    '',
    '| run | t (s) | open | in line | admit rate (/s) | admitted (/s) | completed (/s) | confirmed p90 (ms) |',
    '|---|---|---|---|---|---|---|---|',
    ...withRoom.flatMap((p, i) =>
      p.timeline
        .filter((x, k) => k % 10 === 0)
        .map((x) => `| ${i + 1} | ${x.t} | ${x.open ? 'yes' : 'no'} | ${x.waiting} | ${x.admitRate} | ${x.admittedPerSecond} | ${x.completedPerSecond} | ${x.confirmP90Ms ?? '-'} |`),
    ),
  ];
  sections.push(lines.join('\n'));
}
