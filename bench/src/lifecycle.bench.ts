import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@shop/shared/contracts';
import { BenchPlatform, SERVICES } from './bench-platform';
import { cpuBetween, CpuReading, kafkaPids, readCpu } from './cpu';
import { FloorPlatform, floorLoad } from './floor/floor-platform';
import { appProcesses, RssSampler } from './footprint';
import { readHops, Hop } from './hops';
import { customerTokens, DEFAULT_OPTIONS, runLoad, seedProducts, ShopClient } from './load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a round compares: the platform, or the floor (the same lifecycle on bare kafkajs and pg). */
export interface LifecycleSystem {
  readonly name: 'platform' | 'floor';
  /** The processes whose CPU is this system's, by name (its services, the gateway). */
  processes(): Record<string, number>;
  /** SQL statements and Kafka requests its processes sent so far, in all. */
  counts(): Promise<{ statements: number; kafkaRequests: number }>;
  /** Places orders at `rate` for `seconds`; `onPlaced` gets each accepted order's id and answer time. */
  place(rate: number, seconds: number, onPlaced: (id: string, respondedAt: number) => void): Promise<{ refused: number }>;
  readonly orderTopic: string;
  readonly brokers: string[];
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export class PlatformSystem implements LifecycleSystem {
  readonly name = 'platform';
  private constructor(readonly bench: BenchPlatform) {}

  static async start(): Promise<PlatformSystem> {
    return new PlatformSystem(await BenchPlatform.start({ instantCourier: true }));
  }

  get orderTopic(): string {
    return this.bench.topic(Topics.orderOrders);
  }

  get brokers(): string[] {
    return this.bench.platform.kafka.brokers;
  }

  processes(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const app of SERVICES) pids[app] = this.bench.platform.pid(app) as number;
    pids['api-gateway'] = this.bench.gatewayPid;
    return pids;
  }

  async counts(): Promise<{ statements: number; kafkaRequests: number }> {
    let statements = 0;
    let kafkaRequests = 0;
    for (const app of SERVICES) {
      const text = await (await fetch(`${this.bench.platform.url(app)}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)`, 'm').exec(text)?.[1] ?? 0);
      statements += value('db_statements_total');
      kafkaRequests += value('kafka_requests_total');
    }
    return { statements, kafkaRequests };
  }

  async place(rate: number, seconds: number, onPlaced: (id: string, respondedAt: number) => void): Promise<{ refused: number }> {
    const none = { list: 0, search: 0, product: 0, reviews: 0, order: 0, follow: 0, review: 0 };
    const summary = await runLoad(
      {
        ...DEFAULT_OPTIONS,
        target: this.bench.gatewayUrl,
        rate,
        durationSeconds: seconds,
        mix: { ...none, order: 1 },
        // Well under the gateway's 5 orders/s per customer at any rate the round runs.
        customers: 400,
        products: 20,
        seed: false,
        stock: 1_000_000_000,
        connections: 256,
        drainSeconds: 0,
        declineShare: 0,
        quiet: true,
      },
      { onOrderPlaced: (o) => onPlaced(o.id, o.respondedAt) },
    );
    return { refused: summary.errors + summary.refused + summary.dropped };
  }

  /** Products with a stock no round exhausts, created through the gateway like any product, known to the order service once this returns. */
  async seed(): Promise<void> {
    const client = new ShopClient(this.bench.gatewayUrl, 8);
    try {
      const [customer] = await customerTokens(client, 1);
      await seedProducts(client, 20, 1_000_000_000, customer);
    } finally {
      await client.close();
    }
  }

  freeze(): void {
    for (const app of SERVICES) this.bench.platform.freezeApp(app);
    this.bench.freezeGateway();
  }

  thaw(): void {
    for (const app of SERVICES) this.bench.platform.thawApp(app);
    this.bench.thawGateway();
  }

  hops(): Promise<Hop[]> {
    return readHops(this.bench.platform);
  }

  stop(): Promise<void> {
    return this.bench.stop();
  }
}

export class FloorSystem implements LifecycleSystem {
  readonly name = 'floor';
  private constructor(readonly floor: FloorPlatform) {}

  static async start(): Promise<FloorSystem> {
    return new FloorSystem(await FloorPlatform.start());
  }

  get orderTopic(): string {
    return this.floor.orderTopic;
  }

  get brokers(): string[] {
    return this.floor.kafka.brokers;
  }

  processes(): Record<string, number> {
    return this.floor.pids();
  }

  async counts(): Promise<{ statements: number; kafkaRequests: number }> {
    const stats = Object.values(await this.floor.stats());
    return { statements: stats.reduce((s, v) => s + v.statements, 0), kafkaRequests: stats.reduce((s, v) => s + v.kafkaRequests, 0) };
  }

  async place(rate: number, seconds: number, onPlaced: (id: string, respondedAt: number) => void): Promise<{ refused: number }> {
    const r = await floorLoad(this.floor, { rate, seconds, customers: 400 }, (o) => onPlaced(o.id, o.respondedAt));
    return { refused: r.failed };
  }

  freeze(): void {
    for (const pid of Object.values(this.floor.pids())) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of Object.values(this.floor.pids())) process.kill(pid, 'SIGCONT');
  }

  stop(): Promise<void> {
    return this.floor.stop();
  }
}

/** One round: CPU of every part per delivered order, the cost counts, and the order's latencies. */
export interface CostRound {
  system: 'platform' | 'floor';
  rate: number;
  seconds: number;
  placed: number;
  refused: number;
  delivered: number;
  /** Milliseconds from the POST's answer to the `order.confirmed` / `order.delivered` record; Infinity when it never came. */
  confirmed: number[];
  deliveredMs: number[];
  /** CPU milliseconds per delivered order: each process of the system, Postgres, Kafka, the load generator, and the whole machine. */
  cpuMsPerOrder: { processes: Record<string, number>; postgres: number; kafka: number; load: number; unattributed: number; machine: number; system: number };
  /** The window measured: from the first order to the last one delivered. */
  windowSeconds: number;
  statementsPerOrder: number;
  kafkaRequestsPerOrder: number;
  rssMaxMb: Record<string, number>;
  hops?: Hop[];
}

/** A system left alone: its processes' CPU with no traffic, as a share of the machine. */
export interface IdleRound {
  system: 'platform' | 'floor';
  seconds: number;
  /** Share of the whole machine (all cores) the system's processes, Postgres and Kafka used. */
  machineShare: number;
  byProcess: Record<string, number>;
  postgresShare: number;
  kafkaShare: number;
}

const CORES = availableParallelism();

/** The system's own CPU rate in cores (its processes, Postgres, Kafka) between two readings. */
function systemCores(a: CpuReading, b: CpuReading): number {
  const d = cpuBetween(a, b);
  return (d.postgres + d.kafka + Object.values(d.processes).reduce((s, v) => s + v, 0)) / Math.max(0.001, d.seconds);
}

/**
 * Waits until the system is back at rest: two consecutive seconds using no
 * more than `quietCores` (its idle rate and a little), or `timeoutMs`.
 */
async function waitQuiet(system: LifecycleSystem, kafka: number[], quietCores: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let previous = readCpu(system.processes(), kafka);
  while (Date.now() < deadline) {
    await sleep(1_000);
    const now = readCpu(system.processes(), kafka);
    calm = systemCores(previous, now) <= quietCores ? calm + 1 : 0;
    previous = now;
    if (calm >= 2) return true;
  }
  return false;
}

export async function idleRound(system: LifecycleSystem, seconds: number): Promise<IdleRound> {
  const kafka = kafkaPids();
  await waitQuiet(system, kafka, 0.5, 60_000);
  const a = readCpu(system.processes(), kafka);
  await sleep(seconds * 1000);
  const d = cpuBetween(a, readCpu(system.processes(), kafka));
  const share = (cpu: number) => cpu / d.seconds / CORES;
  const byProcess: Record<string, number> = {};
  for (const [name, cpu] of Object.entries(d.processes)) byProcess[name] = share(cpu);
  return {
    system: system.name,
    seconds: d.seconds,
    machineShare: share(d.postgres + d.kafka + Object.values(d.processes).reduce((s, v) => s + v, 0)),
    byProcess,
    postgresShare: share(d.postgres),
    kafkaShare: share(d.kafka),
  };
}

/** Reads the order topic from its start, after the round: when each order's confirmed and delivered records were published. */
async function orderTimes(system: LifecycleSystem): Promise<{ confirmed: Map<string, number>; delivered: Map<string, number> }> {
  const kafka = new Kafka({ clientId: 'bench-observer', brokers: system.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(system.orderTopic)).map((p) => [p.partition, Number(p.high)]));
  const group = `bench-observer-${randomUUID().slice(0, 8)}`;
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 200 });
  const confirmed = new Map<string, number>();
  const delivered = new Map<string, number>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [system.orderTopic], fromBeginning: true });
    const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench: reading the order topic took over 120 s')), 120_000);
      if (remaining.size === 0) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const type = m.headers?.['event-type']?.toString();
            const id = m.key?.toString() ?? '';
            if (type === 'order.confirmed') confirmed.set(id, Number(m.timestamp));
            else if (type === 'order.delivered') delivered.set(id, Number(m.timestamp));
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last && Number(last.offset) + 1 >= (ends.get(batch.partition) ?? 0)) remaining.delete(batch.partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
  return { confirmed, delivered };
}

/**
 * Orders at a steady `rate` for `seconds`, on a system at rest, the other
 * system frozen. CPU is read from /proc every half second while the orders
 * flow and settle; the window ends at the reading just after the last order
 * was delivered, which is known only afterwards, from the order topic: the
 * observer reads it once the round is over, so its own work is outside the
 * window.
 */
export async function costRound(system: LifecycleSystem, idleCores: number, rate: number, seconds: number, settleSeconds: number): Promise<CostRound> {
  const kafka = kafkaPids();
  await waitQuiet(system, kafka, idleCores + 0.05, 90_000);
  const readings: Array<CpuReading & { epoch: number }> = [];
  const sample = () => readings.push({ ...readCpu(system.processes(), kafka), epoch: Date.now() });
  const countsBefore = await system.counts();
  const rss = new RssSampler(appProcesses()).start();
  sample();
  const sampler = setInterval(sample, 500);
  const placed = new Map<string, number>();
  let refused = 0;
  try {
    refused = (await system.place(rate, seconds, (id, at) => placed.set(id, at))).refused;
    await waitQuiet(system, kafka, idleCores + 0.05, settleSeconds * 1000);
  } finally {
    clearInterval(sampler);
  }
  sample();
  const rssMaxMb = rss.stop();
  const countsAfter = await system.counts();
  const times = await orderTimes(system);
  const confirmed: number[] = [];
  const deliveredMs: number[] = [];
  let lastDelivered = 0;
  for (const [id, respondedAt] of placed) {
    const c = times.confirmed.get(id);
    const d = times.delivered.get(id);
    confirmed.push(c === undefined ? Number.POSITIVE_INFINITY : c - respondedAt);
    deliveredMs.push(d === undefined ? Number.POSITIVE_INFINITY : d - respondedAt);
    if (d !== undefined) lastDelivered = Math.max(lastDelivered, d);
  }
  const delivered = deliveredMs.filter(Number.isFinite).length;
  const end = readings.find((r) => r.epoch >= lastDelivered) ?? readings[readings.length - 1];
  const d = cpuBetween(readings[0], end);
  const per = (cpuSeconds: number) => (cpuSeconds * 1000) / Math.max(1, delivered);
  const processes: Record<string, number> = {};
  for (const [name, cpu] of Object.entries(d.processes)) processes[name] = per(cpu);
  const systemCpu = d.postgres + d.kafka + Object.values(d.processes).reduce((s, v) => s + v, 0);
  return {
    system: system.name,
    rate,
    seconds,
    placed: placed.size,
    refused,
    delivered,
    confirmed,
    deliveredMs,
    cpuMsPerOrder: { processes, postgres: per(d.postgres), kafka: per(d.kafka), load: per(d.load), unattributed: per(d.unattributed), machine: per(d.machine - d.load), system: per(systemCpu) },
    windowSeconds: d.seconds,
    statementsPerOrder: (countsAfter.statements - countsBefore.statements) / Math.max(1, delivered),
    kafkaRequestsPerOrder: (countsAfter.kafkaRequests - countsBefore.kafkaRequests) / Math.max(1, delivered),
    rssMaxMb,
  };
}
