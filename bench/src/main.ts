/**
 * `npm run bench`: the quality bars of DESIGN.md section 8, each measured
 * beside its baseline in the same run, repeated to show the spread. Writes
 * bench/results/<date>.json, .md and .svg (the headline figures against their
 * targets, drawn). BENCH_ONLY=<parts> runs some parts only
 * (and names the files after them); BENCH_QUICK=1 shortens the long runs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { infra, ServiceName, workspaceRoot } from '@shop/testing';
import { BenchPlatform, SERVICES } from './bench-platform';
import { bareNodeFootprint } from './footprint';
import { gatewayBench } from './gateway.bench';
import { intakeRound, IntakeResult } from './intake.bench';
import type { Hop } from './hops';
import { HOPS, lifecycleRound, LifecycleResult } from './lifecycle.bench';
import { bareProducerLatency, benchDatabase, outboxPublishLag, replayRate } from './messaging.bench';
import { busyPorts, npmStartRound } from './startup.bench';
import { headlineChart } from './report-chart';
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

const PARTS = ['messaging', 'gateway', 'intake', 'lifecycle', 'footprint', 'startup'] as const;
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
        require(join(rootDir, 'tools', 'infra', 'system-packages.js')).ensurePackages(['nginx'], log);
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
    const lifecycle: LifecycleResult[] = [];
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
      rate: num('BENCH_LIFECYCLE_RATE', 100),
      seconds: num('BENCH_LIFECYCLE_SECONDS', 60, 15),
      chainSeconds: num('BENCH_CHAIN_SECONDS', 10, 5),
      settleSeconds: 60,
    };
    for (let i = 0; i < REPEATS; i++) {
      if (runIntake) {
        const r = await intakeRound(intakeOptions, (line) => log(`intake run ${i + 1}: ${line}`));
        intake.push(r);
        platformStarts.push(r.platformStartSeconds);
      }
      if (runLifecycle) {
        const r = await lifecycleRound(lifecycleOptions, (line) => log(`lifecycle run ${i + 1}: ${line}`));
        lifecycle.push(r);
        platformStarts.push(r.platformStartSeconds);
        const p = (v: number[], q: number) => round(percentile(v, q), 1);
        log(
          `lifecycle run ${i + 1}: placed → CONFIRMED p50 ${p(r.confirmed, 50)} / p99 ${p(r.confirmed, 99)} ms, → DELIVERED p50 ${p(r.delivered, 50)} / p99 ${p(r.delivered, 99)} ms` +
            ` (${r.placed} orders, ${r.missingConfirmed} never confirmed, ${r.missingDelivered} never delivered); bare Kafka ${HOPS.confirmed} hops p99 ${p(r.chain.confirm, 99)} ms, ${HOPS.delivered} hops p99 ${p(r.chain.deliver, 99)} ms`,
        );
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
      const by = (pick: (r: LifecycleResult) => number[], q: number) => summarize(lifecycle.map((r) => percentile(pick(r), q)));
      const c50 = by((r) => r.confirmed, 50);
      const c99 = by((r) => r.confirmed, 99);
      const d50 = by((r) => r.delivered, 50);
      const d99 = by((r) => r.delivered, 99);
      const chainC = by((r) => r.chain.confirm, 99);
      const chainD = by((r) => r.chain.deliver, 99);
      raw.lifecycle = {
        options: lifecycleOptions,
        method: 'POST answer (client clock) to the CreateTime of the order.confirmed / order.delivered record on the order topic (same machine clock); baseline: the same number of hops over bare Kafka',
        runs: lifecycle.map((r) => ({
          placed: r.placed,
          notAccepted: r.notAccepted,
          missingConfirmed: r.missingConfirmed,
          missingDelivered: r.missingDelivered,
          confirmedMs: { p50: percentile(r.confirmed, 50), p99: percentile(r.confirmed, 99) },
          deliveredMs: { p50: percentile(r.delivered, 50), p99: percentile(r.delivered, 99) },
          bareChainP99Ms: { confirm: percentile(r.chain.confirm, 99), deliver: percentile(r.chain.deliver, 99) },
          costPerDeliveredOrder: r.cost,
          hops: r.hops,
        })),
      };
      sections.push(hopTable(lifecycle.map((r) => r.hops), `${lifecycleOptions.rate} orders/s`));
      costRows(lifecycle, rows);
      const refused = lifecycle.reduce((n, r) => n + r.notAccepted, 0);
      if (refused) notes.push(`${refused} orders of the lifecycle runs were not accepted or never sent (the offered rate was not met); the lifecycle figures cover the accepted ones`);
      const missing = lifecycle.reduce((n, r) => n + r.missingDelivered, 0);
      if (missing) notes.push(`${missing} orders were not seen DELIVERED within ${lifecycleOptions.settleSeconds} s of the load's end; they count as infinitely late`);
      const at = `${lifecycleOptions.rate} orders/s for ${lifecycleOptions.seconds} s`;
      const ms = (s: { median: number; min: number; max: number }) => `${round(s.min, 1)}..${round(s.max, 1)} ms`;
      rows.push({ figure: `placed → CONFIRMED p50 (${at})`, value: round(c50.median, 1), spread: ms(c50), baseline: `bare Kafka ${HOPS.confirmed} hops p50 ${round(by((r) => r.chain.confirm, 50).median, 1)} ms`, ratio: '-', target: '-', pass: true });
      rows.push({ figure: `placed → CONFIRMED p99 (${at})`, value: round(c99.median, 1), spread: ms(c99), baseline: `bare Kafka ${HOPS.confirmed} hops p99 ${round(chainC.median, 1)} ms`, ratio: `${round(c99.median / chainC.median)}x bare`, target: '≤ 150 ms', pass: c99.median <= 150 });
      rows.push({ figure: `placed → DELIVERED p50 (courier delays 0, ${at})`, value: round(d50.median, 1), spread: ms(d50), baseline: `bare Kafka ${HOPS.delivered} hops p50 ${round(by((r) => r.chain.deliver, 50).median, 1)} ms`, ratio: '-', target: '-', pass: true });
      rows.push({ figure: 'placed → DELIVERED p99 (courier delays 0)', value: round(d99.median, 1), spread: ms(d99), baseline: `bare Kafka ${HOPS.delivered} hops p99 ${round(chainD.median, 1)} ms`, ratio: `${round(d99.median / chainD.median)}x bare`, target: '≤ 400 ms', pass: d99.median <= 400 });
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
        // Per round: the larger of what the intake and the lifecycle load made it use.
        load[app] = summarize(intake.map((r, i) => Math.max(r.loadRss[app] ?? 0, lifecycle[i]?.loadRss[app] ?? 0)));
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
 * Statements and transactions per delivered order (DESIGN section 8, cost per
 * order), per service and in total, median of the runs; with
 * BENCH_COST_BEFORE=<an earlier results .json>, that run's figures beside them.
 */
function costRows(lifecycle: LifecycleResult[], rows: Row[]): void {
  const before = process.env.BENCH_COST_BEFORE ? earlierCost(process.env.BENCH_COST_BEFORE) : undefined;
  for (const key of [...SERVICES, 'total'] as const) {
    const statements = summarize(lifecycle.map((r) => r.cost[key]?.statements ?? Number.NaN));
    const transactions = summarize(lifecycle.map((r) => r.cost[key]?.transactions ?? Number.NaN));
    const was = before?.[key];
    rows.push({
      figure: `SQL per delivered order: ${key} (statements / transactions)`,
      value: round(statements.median, 1),
      spread: `${round(statements.min, 1)}..${round(statements.max, 1)} statements; ${round(transactions.median, 1)} transactions`,
      baseline: was ? `before: ${round(was.statements, 1)} statements / ${round(was.transactions, 1)} transactions` : '-',
      ratio: was ? `${round(statements.median / was.statements)}x before` : '-',
      target: '-',
      pass: true,
    });
  }
}

function earlierCost(file: string): Record<string, { statements: number; transactions: number }> | undefined {
  type Runs = { runs?: Array<{ costPerDeliveredOrder?: Record<string, { statements: number; transactions: number }> }> };
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as { raw?: { lifecycle?: Runs } };
  const runs = (earlier.raw?.lifecycle?.runs ?? []).map((r) => r.costPerDeliveredOrder).filter((c): c is Record<string, { statements: number; transactions: number }> => Boolean(c));
  if (runs.length === 0) return undefined;
  const keys = Object.keys(runs[0]);
  return Object.fromEntries(
    keys.map((k) => [k, { statements: summarize(runs.map((r) => r[k].statements)).median, transactions: summarize(runs.map((r) => r[k].transactions)).median }]),
  );
}

