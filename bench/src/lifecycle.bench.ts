import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { ensureTopics } from '@shop/platform/messaging';
import { Topics } from '@shop/shared/contracts';
import { BenchPlatform, SERVICES } from './bench-platform';
import { costPerOrder, readStatementCounts, StatementCount } from './cost';
import { appProcesses, RssSampler } from './footprint';
import { Hop, readHops } from './hops';
import { DEFAULT_OPTIONS, runLoad } from './load';

export interface LifecycleOptions {
  /** Orders per second, placed through the gateway. */
  rate: number;
  seconds: number;
  /** Seconds of the bare Kafka chain that serves as the baseline. */
  chainSeconds: number;
  /** How long to wait after the load for the last orders to be delivered. */
  settleSeconds: number;
}

export interface LifecycleResult {
  placed: number;
  /** Milliseconds from the POST's answer to the `order.confirmed` / `order.delivered` record; Infinity when it never came. */
  confirmed: number[];
  delivered: number[];
  missingConfirmed: number;
  missingDelivered: number;
  /** Orders the gateway did not accept, or that were never sent because too many were in flight. */
  notAccepted: number;
  /** The same hops over bare Kafka: 4 consumer hops (5 sends) and 6 (7 sends). */
  chain: { confirm: number[]; deliver: number[] };
  loadRss: Record<string, number>;
  platformStartSeconds: number;
  /** SQL statements and transactions per delivered order, per service and in total, over the whole run (idle polling included). */
  cost: Record<string, StatementCount>;
  /** Each event's relay lag and pickup, from the services' tables (bench/src/hops.ts). */
  hops: Hop[];
}

/** Consumer hops from the order's POST to the record that announces each status (README, "How an order flows"). */
export const HOPS = { confirmed: 4, delivered: 6 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'bench-lifecycle', brokers, logLevel: logLevel.NOTHING });
}

/** A consumer configured as the services' (EventConsumer): a fetch returns as soon as a record arrives. */
function consumer(kafka: Kafka, groupId: string): Consumer {
  return kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
}

async function joined(c: Consumer): Promise<void> {
  await new Promise<void>((resolve) => {
    const off = c.on(c.events.GROUP_JOIN, () => {
      off();
      resolve();
    });
  });
}

async function idempotentProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

async function dropAll(kafka: Kafka, topics: string[], groups: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
}

/**
 * Baseline: the order's path with nothing but Kafka. A record is sent to
 * topic 0; forwarder i reads topic i and sends the record on to topic i+1
 * (idempotent producer, acks=all, consumers set up as the services'), so
 * topic k's record is what k consumer hops and k+1 sends cost, with no
 * database, no inbox and no outbox. Latency = that record's CreateTime minus
 * the first send's start, the same clock as the real figure.
 */
export async function bareKafkaChain(brokers: string[], rate: number, seconds: number): Promise<{ confirm: number[]; deliver: number[] }> {
  const kafka = kafkaClient(brokers);
  const run = `bench-chain-${randomUUID().slice(0, 8)}`;
  const depth = HOPS.delivered;
  const topics = Array.from({ length: depth + 1 }, (_, i) => `${run}.${i}`);
  await ensureTopics(kafka, topics);
  const groups = [...Array.from({ length: depth }, (_, i) => `${run}-fwd-${i}`), `${run}-observer`];
  const consumers: Consumer[] = [];
  const producers: Producer[] = [];
  const seen = { confirm: new Map<string, number>(), deliver: new Map<string, number>() };
  try {
    const joins: Array<Promise<void>> = [];
    for (let i = 0; i < depth; i++) {
      const c = consumer(kafka, groups[i]);
      const p = await idempotentProducer(kafka);
      consumers.push(c);
      producers.push(p);
      joins.push(joined(c));
      await c.connect();
      await c.subscribe({ topics: [topics[i]], fromBeginning: true });
      await c.run({
        partitionsConsumedConcurrently: 3,
        eachMessage: async ({ message }) => {
          await p.send({ topic: topics[i + 1], acks: -1, messages: [{ key: message.key, value: message.value }] });
        },
      });
    }
    const observer = consumer(kafka, groups[depth]);
    consumers.push(observer);
    joins.push(joined(observer));
    await observer.connect();
    await observer.subscribe({ topics: [topics[HOPS.confirmed], topics[HOPS.delivered]], fromBeginning: true });
    await observer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic, message }) => {
        const { start } = JSON.parse(String(message.value)) as { start: number };
        (topic === topics[HOPS.confirmed] ? seen.confirm : seen.deliver).set(String(message.key), Number(message.timestamp) - start);
      },
    });
    await Promise.all(joins);
    const source = await idempotentProducer(kafka);
    producers.push(source);
    const total = Math.round(rate * seconds);
    const started = performance.now();
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(source.send({ topic: topics[0], acks: -1, messages: [{ key: randomUUID(), value: JSON.stringify({ start: Date.now(), pad: 'x'.repeat(400) }) }] }));
    }
    await Promise.all(sends);
    const deadline = Date.now() + 30_000;
    while ((seen.confirm.size < total || seen.deliver.size < total) && Date.now() < deadline) await sleep(100);
    if (seen.deliver.size < total) throw new Error(`bench: the bare chain delivered ${seen.deliver.size} of ${total} records`);
    return { confirm: [...seen.confirm.values()], deliver: [...seen.deliver.values()] };
  } finally {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
    await dropAll(kafka, topics, groups);
  }
}

/**
 * Reads the order topic from the start and keeps, per order, the CreateTime
 * of its `order.confirmed` and `order.delivered` records: the moment the
 * order service published the change (after its transaction committed).
 * The type is in the `event-type` header; the key is the order id.
 */
class OrderEventObserver {
  readonly confirmed = new Map<string, number>();
  readonly delivered = new Map<string, number>();
  readonly cancelled = new Set<string>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly group: string,
  ) {}

  static async start(brokers: string[], topic: string): Promise<OrderEventObserver> {
    const kafka = kafkaClient(brokers);
    await ensureTopics(kafka, [topic]);
    const group = `bench-order-observer-${randomUUID().slice(0, 8)}`;
    const c = consumer(kafka, group);
    const observer = new OrderEventObserver(kafka, c, group);
    const join = joined(c);
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ message }) => {
        const type = message.headers?.['event-type']?.toString();
        const id = message.key?.toString();
        if (!id) return;
        if (type === 'order.confirmed') observer.confirmed.set(id, Number(message.timestamp));
        else if (type === 'order.delivered') observer.delivered.set(id, Number(message.timestamp));
        else if (type === 'order.cancelled') observer.cancelled.add(id);
      },
    });
    await join;
    return observer;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.group]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Placed → CONFIRMED and placed → DELIVERED (courier delays 0): orders at a
 * steady rate through the gateway (the load generator, orders only), each
 * timed from its POST's answer to the record that announces the status on
 * the order topic. Polling the order would add the poll interval and load;
 * the record's CreateTime is stamped by the order service's producer when it
 * publishes the change, right after the transaction that made it.
 */
export async function lifecycleRound(options: LifecycleOptions, log: (line: string) => void): Promise<LifecycleResult> {
  const bench = await BenchPlatform.start({ instantCourier: true });
  const brokers = bench.platform.kafka.brokers;
  let observer: OrderEventObserver | undefined;
  try {
    const chain = await bareKafkaChain(brokers, options.rate, options.chainSeconds);
    observer = await OrderEventObserver.start(brokers, bench.topic(Topics.orderOrders));
    const placed = new Map<string, number>();
    const sampler = new RssSampler(appProcesses()).start();
    const countsBefore = await readStatementCounts(bench.platform);
    const none = { list: 0, search: 0, product: 0, reviews: 0, order: 0, follow: 0, review: 0 };
    const summary = await runLoad(
      {
        ...DEFAULT_OPTIONS,
        target: bench.gatewayUrl,
        rate: options.rate,
        durationSeconds: options.seconds,
        mix: { ...none, order: 1 },
        // Well under the gateway's 5 orders/s per customer at any rate the round runs.
        customers: 400,
        products: 20,
        seed: true,
        stock: 1_000_000_000,
        connections: 256,
        drainSeconds: 0,
        declineShare: 0,
        quiet: true,
      },
      { log, onOrderPlaced: (o) => placed.set(o.id, o.respondedAt) },
    );
    const order = summary.actions.order;
    log(`placed ${placed.size} orders in ${summary.loadSeconds.toFixed(1)} s (POST p50 ${order?.p50.toFixed(1)} ms, p99 ${order?.p99.toFixed(1)} ms, ${summary.errors} not accepted, ${summary.dropped} dropped)`);
    const deadline = Date.now() + options.settleSeconds * 1000;
    const done = () => [...placed.keys()].every((id) => observer?.delivered.has(id) || observer?.cancelled.has(id));
    while (!done() && Date.now() < deadline) await sleep(200);
    const loadRss = sampler.stop();
    const deliveredCount = [...placed.keys()].filter((id) => observer?.delivered.has(id)).length;
    const cost = costPerOrder(countsBefore, await readStatementCounts(bench.platform), Math.max(1, deliveredCount));
    const hops = await readHops(bench.platform);
    // The last lines each service logged (warnings and errors: the bench runs them at LOG_LEVEL warn), kept for a profile.
    const logDir = join(process.cwd(), '.local', 'bench-logs', `lifecycle-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(logDir, { recursive: true });
    for (const app of SERVICES) writeFileSync(join(logDir, `${app}.log`), bench.platform.logs(app));
    log(`the services' last log lines are in ${logDir}`);
    for (const h of hops) {
      log(
        `hop ${h.producer} ${h.type} → ${h.consumer}: ${h.written} written, ${h.published} published, ${h.applied} applied;` +
          ` relay p50 ${Math.round(h.relay.p50)} / p99 ${Math.round(h.relay.p99)} ms, pickup p50 ${Math.round(h.pickup.p50)} / p99 ${Math.round(h.pickup.p99)} ms`,
      );
    }
    const confirmed: number[] = [];
    const delivered: number[] = [];
    for (const [id, respondedAt] of placed) {
      const c = observer.confirmed.get(id);
      const d = observer.delivered.get(id);
      confirmed.push(c === undefined ? Number.POSITIVE_INFINITY : c - respondedAt);
      delivered.push(d === undefined ? Number.POSITIVE_INFINITY : d - respondedAt);
    }
    const missingConfirmed = confirmed.filter((v) => !Number.isFinite(v)).length;
    const missingDelivered = delivered.filter((v) => !Number.isFinite(v)).length;
    if (summary.errors || summary.dropped) {
      log(`warning: ${summary.errors} orders were not accepted (${JSON.stringify(order?.errors ?? {})}) and ${summary.dropped} never sent; the rate offered was not met`);
    }
    return {
      placed: placed.size,
      confirmed,
      delivered,
      missingConfirmed,
      missingDelivered,
      notAccepted: summary.errors + summary.dropped,
      chain,
      loadRss,
      platformStartSeconds: bench.startSeconds,
      cost,
      hops,
    };
  } finally {
    await observer?.stop();
    await bench.stop();
  }
}
