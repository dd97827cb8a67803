/**
 * `npm run bench`: the quality bars of DESIGN.md section 8 that exist so far,
 * each measured beside its baseline in the same run, repeated to show the
 * spread. Writes bench/results/<date>.json and .md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { infra, workspaceRoot } from '@shop/testing';
import { gatewayBench } from './gateway.bench';
import { bareProducerLatency, benchDatabase, outboxPublishLag, replayRate } from './messaging.bench';
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

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

async function main(): Promise<void> {
  const rootDir = workspaceRoot();
  const log = (line: string) => process.stdout.write(`bench | ${line}\n`);
  const pg = await infra<{ ensurePostgres(o: object): Promise<{ adminUrl: string; startedHere: boolean }>; stopPostgres(o: object): Promise<boolean> }>('postgres');
  const kafkaInfra = infra<{ ensureKafka(o: object): Promise<{ brokers: string; startedHere: boolean }>; stopKafka(o: object): Promise<boolean> }>('kafka');
  const postgres = await pg.ensurePostgres({ rootDir, log });
  process.env.DATABASE_ADMIN_URL = postgres.adminUrl;
  const kafka = await kafkaInfra.ensureKafka({ rootDir, log });
  process.env.KAFKA_BROKERS = kafka.brokers;
  const brokers = kafka.brokers.split(',');
  const db = await benchDatabase();
  const options = { brokers, rate: Number(process.env.BENCH_OUTBOX_RATE ?? 200), seconds: Number(process.env.BENCH_OUTBOX_SECONDS ?? 10), deadLetters: Number(process.env.BENCH_DEAD_LETTERS ?? 20_000) };
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { options, repeats: REPEATS };
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

    const gw = { rps: [] as number[], direct: [] as number[], nginx: [] as number[], added50: [] as number[], added99: [] as number[] };
    for (let i = 0; i < REPEATS; i++) {
      const r = await gatewayBench({ seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 10), connections: 50 }, (line) => log(`gateway run ${i + 1}: ${line}`));
      gw.rps.push(r.gateway.rps);
      gw.direct.push(r.direct.rps);
      if (r.nginx) gw.nginx.push(r.nginx.rps);
      gw.added50.push(r.halfPeak.gateway.p50 - r.halfPeak.direct.p50);
      gw.added99.push(r.halfPeak.gateway.p99 - r.halfPeak.direct.p99);
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
  } finally {
    await db.drop();
    if (kafka.startedHere) await kafkaInfra.stopKafka({ rootDir, log });
    if (postgres.startedHere) await pg.stopPostgres({ rootDir, log });
  }
  const date = new Date().toISOString().slice(0, 10);
  const dir = join(rootDir, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const machine = `${process.platform} ${process.arch}, ${require('node:os').cpus().length} cores, Node ${process.version}`;
  writeFileSync(join(dir, `${date}.json`), JSON.stringify({ date: new Date().toISOString(), machine, rows, raw }, null, 2) + '\n');
  const table = [
    `# Benchmarks, ${date}`,
    '',
    `Machine: ${machine}. Each figure is the median of ${REPEATS} runs in one process tree; the spread is min..max.`,
    '',
    '| figure | value | spread | baseline (same run) | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.spread} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.target === '-' ? 'info' : r.pass ? 'pass' : 'FAIL'} |`),
    '',
  ].join('\n');
  writeFileSync(join(dir, `${date}.md`), table);
  process.stdout.write(`\n${table}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
