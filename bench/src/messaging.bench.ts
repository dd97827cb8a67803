import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel, Partitioners, Producer } from 'kafkajs';
import { createPool, Database } from '@shop/platform/database';
import { DeadLetters, ensureTopics, Outbox, OutboxRelay, parkedMessage, UnitOfWork } from '@shop/platform/messaging';
import { createTestDatabase, TestDatabase } from '@shop/testing';

export interface MessagingBenchOptions {
  brokers: string[];
  /** Outbox events written per second while the lag is measured. */
  rate: number;
  seconds: number;
  deadLetters: number;
}

function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
}

async function idempotentProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

/** Baseline: a bare kafkajs send of one record, acks=all, as a request handler would do it without an outbox. */
export async function bareProducerLatency(brokers: string[], count: number): Promise<number[]> {
  const kafka = kafkaClient(brokers);
  const topic = `bench.bare.${randomUUID()}`;
  await ensureTopics(kafka, [topic]);
  const producer = await idempotentProducer(kafka);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: 'x'.repeat(300) }] });
      latencies.push(performance.now() - started);
    }
  } finally {
    await producer.disconnect();
    await deleteTopics(kafka, [topic]);
  }
  return latencies;
}

/**
 * Outbox publish lag: events committed at a steady rate, each in its own
 * transaction as a request would, published by the relay woken by NOTIFY;
 * lag = the row's insert to the broker's acknowledgement (ms).
 */
export async function outboxPublishLag(db: TestDatabase, options: MessagingBenchOptions): Promise<number[]> {
  const kafka = kafkaClient(options.brokers);
  const prefix = `bench${Date.now().toString(36)}.`;
  await ensureTopics(kafka, [`${prefix}catalog.products.v1`]);
  const producer = await idempotentProducer(kafka);
  const lags: number[] = [];
  const database = new Database(createPool({ url: db.urlFor('catalog'), schema: 'catalog' }));
  const relay = new OutboxRelay({
    db: database,
    databaseUrl: db.urlFor('catalog'),
    schema: 'catalog',
    producer,
    topicPrefix: prefix,
    pollIntervalMs: 1_000,
    onPublished: (_count, lagSeconds) => lags.push(...lagSeconds.map((s) => s * 1000)),
  });
  const unitOfWork = new UnitOfWork(database, new Outbox({ source: 'catalog', schema: 'catalog' }));
  relay.start();
  const total = options.rate * options.seconds;
  try {
    const interval = 1000 / options.rate;
    const started = performance.now();
    const writes: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      writes.push(writeOne(unitOfWork));
    }
    await Promise.all(writes);
    const deadline = Date.now() + 30_000;
    while (lags.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await relay.stop();
    await database.pool.end();
    await producer.disconnect();
    await deleteTopics(kafka, [`${prefix}catalog.products.v1`]);
  }
  if (lags.length < total) throw new Error(`bench: only ${lags.length} of ${total} outbox events were published`);
  return lags;
}

/** One event in a unit of work of its own, as a request would write it. */
async function writeOne(unitOfWork: UnitOfWork): Promise<void> {
  const id = randomUUID();
  await unitOfWork.run(async (tx) =>
    tx.publish({
      type: 'catalog.product-upserted',
      aggregateId: id,
      aggregateVersion: 1,
      data: { productId: id, sku: `B-${id}`, name: 'Bench', description: '', priceCents: 100, currency: 'EUR', productVersion: 1 },
    }),
  );
}

/**
 * Dead-letter replay rate: N dead letters (as the consumer parks them) are
 * re-published to the first retry tier. Baseline: the same records written
 * by a bare producer in batches, in the same run.
 */
export async function replayRate(db: TestDatabase, options: MessagingBenchOptions): Promise<{ replayPerSecond: number; barePerSecond: number }> {
  const kafka = kafkaClient(options.brokers);
  const group = `bench${Date.now().toString(36)}`;
  const source = `${group}.order.orders.v1`;
  const dlt = `${source}.${group}.dlt`;
  const bare = `${group}.bare`;
  await ensureTopics(kafka, [source, dlt, `${source}.${group}.retry-1`, bare]);
  const producer = await idempotentProducer(kafka);
  const records = Array.from({ length: options.deadLetters }, (_, i) =>
    parkedMessage(
      {
        topic: source,
        partition: i % 3,
        message: {
          key: Buffer.from(randomUUID()),
          value: Buffer.from(JSON.stringify({ id: randomUUID(), type: 'order.placed', pad: 'x'.repeat(250) })),
          headers: { 'event-id': randomUUID(), 'event-type': 'order.placed' },
          offset: String(i),
          timestamp: String(Date.now()),
          attributes: 0,
        } as KafkaMessage,
      },
      group,
      new Error('bench failure'),
      4,
    ),
  );
  const database = new Database(createPool({ url: db.urlFor('catalog'), schema: 'catalog' }));
  const deadLetters = new DeadLetters({ kafka, producer, groupId: group, topics: [source], db: database });
  try {
    const bareStarted = performance.now();
    for (let i = 0; i < records.length; i += 500) await producer.send({ topic: bare, acks: -1, messages: records.slice(i, i + 500) });
    const barePerSecond = records.length / ((performance.now() - bareStarted) / 1000);
    for (let i = 0; i < records.length; i += 500) await producer.send({ topic: dlt, acks: -1, messages: records.slice(i, i + 500) });

    const started = performance.now();
    const replayed = await deadLetters.replay();
    const replayPerSecond = replayed / ((performance.now() - started) / 1000);
    if (replayed !== records.length) throw new Error(`bench: replayed ${replayed} of ${records.length}`);
    return { replayPerSecond, barePerSecond };
  } finally {
    await database.pool.end();
    await producer.disconnect();
    await deleteTopics(kafka, [source, dlt, `${source}.${group}.retry-1`, bare]);
  }
}

async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
}

export async function benchDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await db.migrate('catalog');
  return db;
}
