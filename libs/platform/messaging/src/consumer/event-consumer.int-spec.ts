import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { Envelope } from '@shop/shared/contracts';
import { createTestDatabase, eventually, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { DeadLetters } from '../dead-letters/dead-letters';
import { readTopicsToEnd } from '../topic-reader';
import { DltHeaders } from './dead-letter';
import { NonRetryableError } from './errors';
import { EventConsumer, EventHandler } from './event-consumer';

/**
 * Retry tiers, dead letters and replay against the real broker
 * (DESIGN.md section 5). Tiers of 300 ms and 600 ms keep the suite short.
 */
describe('event consumer: retry tiers, dead-letter topics, replay', () => {
  let kafka: TestKafka;
  let client: Kafka;
  let producer: Producer;
  let db: TestDatabase;
  let source: string;
  const group = 'svc';
  const consumers: EventConsumer[] = [];

  function envelope(aggregateId: string, data: unknown = { productId: aggregateId, sku: 's', name: 'n', description: '', priceCents: 1, currency: 'EUR', productVersion: 1 }): Envelope {
    return { id: randomUUID(), type: 'catalog.product-upserted', version: 1, source: 'catalog', aggregateId, aggregateVersion: 1, occurredAt: new Date().toISOString(), data };
  }

  async function send(key: string, value: string, headers: Record<string, string> = {}): Promise<void> {
    await producer.send({ topic: source, acks: -1, messages: [{ key, value, headers }] });
  }

  async function start(handler: EventHandler): Promise<EventConsumer> {
    const consumer = new EventConsumer({
      kafka: client,
      producer,
      groupId: `${kafka.prefix}.${group}`,
      topics: [source],
      handlers: new Map([['catalog.product-upserted', handler]]),
      retryDelaysMs: [300, 600],
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  beforeEach(async () => {
    kafka = useKafka();
    client = kafka.kafka();
    source = kafka.topic('catalog.products.v1');
    await kafka.createTopics([source], 3);
    producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await producer.disconnect();
    await kafka.cleanup();
  });

  afterAll(() => db?.drop());

  it('retries a record that fails twice through the tiers, applies it once, and does not hold up the records behind it', async () => {
    const applied: Array<{ id: string; at: number }> = [];
    let failures = 0;
    const key = randomUUID();
    const flaky = envelope(key);
    await start(async (event) => {
      if (event.id === flaky.id && failures < 2) {
        failures++;
        throw new Error(`transient failure ${failures}`);
      }
      applied.push({ id: event.id, at: Date.now() });
    });
    const sentAt = Date.now();
    await send(key, JSON.stringify(flaky));
    const behind = [envelope(key), envelope(key), envelope(key)]; // same key: same partition, behind it
    for (const e of behind) await send(key, JSON.stringify(e));

    await eventually(() => expect(applied.map((a) => a.id)).toContain(flaky.id), 20_000);
    expect(failures).toBe(2);
    expect(applied.filter((a) => a.id === flaky.id)).toHaveLength(1);
    const flakyAt = applied.find((a) => a.id === flaky.id)!.at;
    expect(flakyAt - sentAt).toBeGreaterThanOrEqual(300 + 600);
    // The records behind it were applied before its first retry delay had even passed.
    for (const e of behind) {
      const at = applied.find((a) => a.id === e.id)!.at;
      expect(at).toBeLessThan(flakyAt);
      expect(at - sentAt).toBeLessThan(300);
    }
  });

  it('dead-letters a malformed and a schema-invalid record at once, with every header, and keeps going', async () => {
    const applied: string[] = [];
    await start(async (event) => void applied.push(event.id));
    const good = envelope(randomUUID());
    await send('k1', '{not json', { 'event-id': 'x1' });
    const invalid = envelope(randomUUID(), { productId: 'not-a-uuid' });
    await send('k2', JSON.stringify(invalid), { 'event-id': invalid.id, 'event-type': invalid.type });
    await send('k3', JSON.stringify(good));
    await eventually(() => expect(applied).toEqual([good.id]));

    const dlt = `${source}.${kafka.prefix}.${group}.dlt`;
    const parked = await eventually(async () => {
      const records: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
      await readTopicsToEnd(client, [dlt], async (batch) => {
        for (const r of batch) {
          records.push({
            key: String(r.message.key),
            value: String(r.message.value),
            headers: Object.fromEntries(Object.entries(r.message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          });
        }
      });
      expect(records).toHaveLength(2);
      return records;
    });
    const byKey = Object.fromEntries(parked.map((r) => [r.key, r]));
    expect(byKey.k1.value).toBe('{not json');
    expect(byKey.k2.value).toBe(JSON.stringify(invalid));
    expect(byKey.k2.headers['event-id']).toBe(invalid.id);
    for (const record of parked) {
      expect(record.headers).toMatchObject({
        [DltHeaders.originalTopic]: source,
        [DltHeaders.originalPartition]: expect.stringMatching(/^[0-2]$/),
        [DltHeaders.originalOffset]: expect.stringMatching(/^\d+$/),
        [DltHeaders.originalTimestamp]: expect.stringMatching(/^\d{13}$/),
        [DltHeaders.originalConsumerGroup]: `${kafka.prefix}.${group}`,
        [DltHeaders.exceptionFqcn]: 'ContractViolation',
        [DltHeaders.exceptionMessage]: expect.any(String),
        [DltHeaders.exceptionStacktrace]: expect.stringContaining('ContractViolation'),
        [DltHeaders.attempts]: '1',
      });
    }
    expect(byKey.k1.headers[DltHeaders.exceptionMessage]).toContain('not JSON');
    expect(byKey.k2.headers[DltHeaders.exceptionMessage]).toContain('productId');
  });

  it('dead-letters a business-rule failure at once, without retrying it', async () => {
    let calls = 0;
    await start(async () => {
      calls++;
      throw new NonRetryableError('price below cost');
    });
    await send('k', JSON.stringify(envelope(randomUUID())));
    const dlt = `${source}.${kafka.prefix}.${group}.dlt`;
    await eventually(async () => {
      let attempts: string | undefined;
      await readTopicsToEnd(client, [dlt], async (batch) => {
        attempts = String(batch[0]?.message.headers?.[DltHeaders.attempts]);
      });
      expect(attempts).toBe('1');
    });
    expect(calls).toBe(1);
  });

  it('dead-letters a record that always fails after the last tier; once fixed, a replay applies it exactly once and a second replay changes nothing', async () => {
    db = await createTestDatabase();
    await db.migrate('catalog'); // any service schema: it holds the dead_letter_replays table
    let broken = true;
    const applied = new Map<string, number>();
    await start(async (event) => {
      if (broken) throw new Error('the dependency is down');
      applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
    });
    const poison = envelope(randomUUID());
    await send(poison.aggregateId, JSON.stringify(poison));
    const deadLetters = new DeadLetters({
      kafka: client,
      producer,
      groupId: `${kafka.prefix}.${group}`,
      topics: [source],
      databaseUrl: db.urlFor('catalog'),
      schema: 'catalog',
    });
    try {
      const [item] = await eventually(async () => {
        const items = await deadLetters.list();
        expect(items).toHaveLength(1);
        return items;
      }, 20_000);
      expect(item).toMatchObject({ eventId: poison.id, eventType: poison.type, originalTopic: source, attempts: 3, error: 'the dependency is down' });
      expect(applied.size).toBe(0);

      broken = false;
      expect(await deadLetters.replay()).toBe(1);
      await eventually(() => expect(applied.get(poison.id)).toBe(1), 20_000);
      expect(await deadLetters.list()).toEqual([]);
      expect(await deadLetters.replay()).toBe(0);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(applied.get(poison.id)).toBe(1);
    } finally {
      await deadLetters.close();
    }
  });
});
