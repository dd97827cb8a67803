import { randomUUID } from 'node:crypto';
import { AssignerProtocol, ConfigResourceTypes, Kafka, PartitionAssigner, Producer } from 'kafkajs';
import { Envelope } from '@shop/shared/contracts';
import { createTestDatabase, eventually, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { createPool, Database } from '@shop/platform/database';
import { DeadLetters } from '../dead-letters/dead-letters';
import { Outbox } from '../outbox/outbox';
import { UnitOfWork } from '../unit-of-work/unit-of-work';
import { readTopicsToEnd } from '../topic-reader';
import { DltHeaders } from './dead-letter';
import { NonRetryableError } from './errors';
import { ConsumerOutcome, EventConsumer, EventContext } from './event-consumer';

type Handle = (event: Envelope, context: EventContext) => Promise<unknown>;

/** An assignment protocol nobody else speaks: the broker refuses a member that does not share it. */
const foreignAssigner: PartitionAssigner = () => ({
  name: 'ForeignAssigner',
  version: 1,
  assign: async () => [],
  protocol: ({ topics }) => ({ name: 'ForeignAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
});

/**
 * Retry tiers, dead letters and replay against the real broker
 * (docs/contract.md). Tiers of 300 ms and 600 ms keep the suite short.
 */
describe('event consumer: retry tiers, dead-letter topics, replay', () => {
  let kafka: TestKafka;
  let client: Kafka;
  let producer: Producer;
  let db: TestDatabase;
  let database: Database;
  let unitOfWork: UnitOfWork;
  let source: string;
  const group = 'svc';
  const consumers: EventConsumer[] = [];

  function envelope(aggregateId: string, data: unknown = { productId: aggregateId, sku: 's', name: 'n', description: '', priceCents: 1, currency: 'EUR', productVersion: 1 }): Envelope {
    return { id: randomUUID(), type: 'catalog.product-upserted', version: 1, source: 'catalog', aggregateId, aggregateVersion: 1, occurredAt: new Date().toISOString(), data };
  }

  async function send(key: string, value: string, headers: Record<string, string> = {}): Promise<void> {
    await producer.send({ topic: source, acks: -1, messages: [{ key, value, headers }] });
  }

  async function start(
    handle: Handle,
    options: { producer?: Pick<Producer, 'send' | 'sendBatch'>; retryDelaysMs?: number[]; locks?: string[]; onOutcome?: (outcome: ConsumerOutcome) => void } = {},
  ): Promise<EventConsumer> {
    const consumer = new EventConsumer({
      kafka: client,
      producer: options.producer ?? producer,
      unitOfWork,
      groupId: `${kafka.prefix}.${group}`,
      topics: [source],
      handlers: new Map([['catalog.product-upserted', { handle, locks: options.locks }]]),
      retryDelaysMs: options.retryDelaysMs ?? [300, 600],
      onOutcome: options.onOutcome,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  beforeAll(async () => {
    // Any service schema: it has the inbox the consumer records events in, and the dead_letter_replays table.
    db = await createTestDatabase();
    await db.migrate('catalog');
    database = new Database(createPool({ url: db.urlFor('catalog'), schema: 'catalog' }));
    unitOfWork = new UnitOfWork(database, new Outbox({ source: 'catalog', schema: 'catalog' }));
  });

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

  afterAll(async () => {
    await database?.pool.end();
    await db?.drop();
  });

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

  it('applies batches of two partitions that change the same rows in crossing orders without a deadlock when the handler names what it shares', async () => {
    // The catalog's case: every placed order changes the stock of products other orders change too, so two
    // partitions' batches, each one transaction, lock the same rows in different orders. Here partition 0
    // holds [a, b] and partition 1 [b, a]; each record locks its row and lingers, so each batch holds its first
    // row while it asks for the other's: Postgres breaks that deadlock after deadlock_timeout (1 s) by failing
    // one batch, which is rolled back and applied again (or its record parked in a retry tier).
    const table = `shared_rows_${randomUUID().slice(0, 8)}`;
    const [a, b] = [randomUUID(), randomUUID()];
    await database.query(`create table ${table} (id uuid primary key, n int not null)`);
    await database.query(`insert into ${table} (id, n) values ($1, 0), ($2, 0)`, [a, b]);
    const outcomes: ConsumerOutcome[] = [];
    let calls = 0;
    const on = (partition: number, ids: string[]) =>
      producer.send({ topic: source, acks: -1, messages: ids.map((id) => ({ key: id, partition, value: JSON.stringify(envelope(id)) })) });
    await on(0, [a, b]);
    await on(1, [b, a]);
    await start(
      async (event, context) => {
        const id = (event.data as { productId: string }).productId;
        calls++;
        await context.tx?.query(`select n from ${table} where id = $1 for update`, [id]);
        await new Promise((r) => setTimeout(r, 300));
        context.tx?.write({ sql: `update ${table} set n = n + 1 where id = $1`, values: [id], key: `row:${id}` });
      },
      { locks: [table], onOutcome: (outcome) => outcomes.push(outcome) },
    );
    await eventually(() => expect(outcomes).toHaveLength(4), 20_000);
    expect(outcomes).toEqual(['processed', 'processed', 'processed', 'processed']);
    expect(calls).toBe(4); // each record applied once: no unit was rolled back
    expect(await database.query(`select id, n from ${table} order by id`)).toEqual([a, b].sort().map((id) => ({ id, n: 2 })));
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
      db: database,
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
      // nothing to close: it works on the service's own pool
    }
  });

  it('comes back after a crash kafkajs will not restart from, says so in its health, and then applies what waited', async () => {
    // A member of the same group speaking another assignment protocol makes the broker refuse our join with
    // INCONSISTENT_GROUP_PROTOCOL: kafkajs crashes the consumer and, left to itself, would never restart it
    // (records would wait forever, readiness green), as after a new broker's coordinator errors.
    const foreigner = client.consumer({ groupId: `${kafka.prefix}.${group}`, partitionAssigners: [foreignAssigner] });
    await foreigner.connect();
    await foreigner.subscribe({ topics: [source] });
    const foreignJoined = new Promise<void>((resolve) => foreigner.on(foreigner.events.GROUP_JOIN, () => resolve()));
    await foreigner.run({ eachMessage: async () => undefined });
    await foreignJoined;
    const waiting = envelope(randomUUID());
    await send(waiting.aggregateId, JSON.stringify(waiting));

    const applied: string[] = [];
    const consumer = await start(async (event) => void applied.push(event.id));
    const refused = await eventually(() => {
      const main = consumer.health()[0];
      expect(main.restarts).toBeGreaterThanOrEqual(1);
      return main;
    }, 20_000);
    expect(refused.status).not.toBe('running');
    expect(refused.lastError).toMatch(/protocol/i);
    expect(applied).toEqual([]);

    await foreigner.disconnect();
    await eventually(() => expect(consumer.health()[0].status).toBe('running'), 60_000);
    await eventually(() => expect(applied).toEqual([waiting.id]), 20_000);
  });

  it('commits what it finished before leaving the group: a stop right after handling redelivers nothing', async () => {
    const seen: string[] = [];
    const events = Array.from({ length: 12 }, () => envelope(randomUUID()));
    let stopping: Promise<void> | undefined;
    const first = await start(async (event) => {
      seen.push(event.id);
      // Stop the moment the last one is handled: well inside the 500 ms between periodic commits.
      if (seen.length === events.length) stopping = new Promise((r) => setImmediate(r)).then(() => first.stop());
    });
    for (const e of events) await send(e.aggregateId, JSON.stringify(e));
    await eventually(() => expect(stopping).toBeDefined(), 20_000);
    await stopping;

    const again: string[] = [];
    const second = await start(async (event) => void again.push(event.id));
    await eventually(() => expect(second.health()[0].status).toBe('running'), 20_000);
    const marker = envelope(randomUUID());
    await send(marker.aggregateId, JSON.stringify(marker));
    await eventually(() => expect(again).toContain(marker.id), 20_000);
    expect(again).toEqual([marker.id]);
  });

  it('dead-letters an event of a newer version than it knows instead of handing it to the old handler', async () => {
    const applied: string[] = [];
    await start(async (event) => void applied.push(`${event.id}/v${event.version}`));
    // A version no build defines yet, and v2, which the platform defines beside v1 (NewerEventVersions) but
    // this handler (written for the EventCatalog version, v1) does not read: neither reaches it.
    const unknown = { ...envelope(randomUUID()), version: 3, data: { productId: 'shape changed in v3' } };
    const id = randomUUID();
    const v2 = { ...envelope(id), version: 2, data: { ...envelope(id).data as object, category: null, picture: null } };
    const current = envelope(randomUUID());
    await send(unknown.aggregateId, JSON.stringify(unknown));
    await send(v2.aggregateId, JSON.stringify(v2));
    await send(current.aggregateId, JSON.stringify(current));
    await eventually(() => expect(applied).toEqual([`${current.id}/v1`]), 20_000);
    const dlt = `${source}.${kafka.prefix}.${group}.dlt`;
    await eventually(async () => {
      const messages: string[] = [];
      await readTopicsToEnd(client, [dlt], async (batch) => {
        for (const r of batch) messages.push(String(r.message.headers?.[DltHeaders.exceptionMessage]));
      });
      expect(messages.sort()).toEqual([
        expect.stringContaining('v2 is newer than this consumer knows (v1)'),
        expect.stringContaining('v3 is newer than this consumer knows (v1)'),
      ]);
    });
  });

  it('keeps what its retry and dead-letter topics hold forever, and brings a topic created with the defaults in line', async () => {
    const dlt = `${source}.${kafka.prefix}.${group}.dlt`;
    const admin = client.admin();
    await admin.connect();
    try {
      // A dead-letter topic made by hand (or by an older version) with the broker's retention.
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dlt, numPartitions: 3 }] });
      await start(async () => undefined);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [dlt, `${source}.${kafka.prefix}.${group}.retry-1`, `${source}.${kafka.prefix}.${group}.retry-2`].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['retention.ms'],
        })),
      });
      expect(described.resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue])).toEqual([
        [dlt, '-1'],
        [`${source}.${kafka.prefix}.${group}.retry-1`, '-1'],
        [`${source}.${kafka.prefix}.${group}.retry-2`, '-1'],
      ]);
      const compacted = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: source, configNames: ['cleanup.policy'] }],
      });
      // The source here is a catalog.products.v1 of this suite: the product snapshot is rebuilt from it.
      expect(compacted.resources[0].configEntries[0]?.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });
});
