import { randomUUID } from 'node:crypto';
import { Kafka, KafkaJSProtocolError, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { createPool, Database } from '@shop/platform/database';
import { createTestDatabase, eventually, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { readTopicsToEnd } from '../topic-reader';
import { FATAL_PRODUCER_ERRORS, ReplaceableProducer } from '../producer';
import { OutboxRelay } from './outbox-relay';

/**
 * The relay against the real Postgres and broker, with faults injected where
 * they hurt: a producer the broker no longer recognises, a listener
 * connection cut, a database that cannot be reached.
 */
describe('outbox relay: it keeps publishing through producer and connection faults', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let client: Kafka;
  let admin: Client;
  const databases: Database[] = [];
  const relays: OutboxRelay[] = [];
  const producers: ReplaceableProducer[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  const idempotent = () => client.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });

  /** A real producer whose every send fails as the broker answers a stale idempotent producer. */
  function poisoned(type: string): Producer {
    const producer = idempotent();
    const fail = async () => {
      throw new KafkaJSProtocolError(Object.assign(new Error(`injected ${type}`), { type, code: 0, retriable: false }));
    };
    return { ...producer, send: fail, sendBatch: fail };
  }

  async function insertOutbox(topic: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (const id of ids) {
      await admin.query(`insert into catalog.outbox (id, topic, key, type, payload) values ($1, $2, $3, 'catalog.product-upserted', $4)`, [
        id,
        topic,
        id,
        JSON.stringify({ id }),
      ]);
    }
    return ids;
  }

  async function published(topic: string): Promise<string[]> {
    const ids: string[] = [];
    await readTopicsToEnd(client, [kafka.topic(topic)], async (records) => {
      for (const r of records) ids.push(JSON.parse(String(r.message.value)).id);
    });
    return ids;
  }

  function relay(producer: ReplaceableProducer, url = db.urlFor('catalog')): OutboxRelay {
    const database = new Database(createPool({ url, schema: 'catalog' }));
    databases.push(database);
    const r = new OutboxRelay({ db: database, databaseUrl: url, schema: 'catalog', producer, topicPrefix: `${kafka.prefix}.`, pollIntervalMs: 100, maxBackoffMs: 500 });
    relays.push(r);
    return r;
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    db = await createTestDatabase();
    await db.migrate('catalog');
    kafka = useKafka();
    client = kafka.kafka();
    admin = new Client({ connectionString: db.adminUrl.replace(/\/[^/]*$/, `/${db.dbName}`) });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(producers.splice(0).map((p) => p.disconnect().catch(() => undefined)));
    await Promise.all(databases.splice(0).map((d) => d.pool.end()));
    await admin.query('truncate catalog.outbox');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await admin?.end();
    await kafka?.cleanup();
    await db?.drop();
  });

  it.each(FATAL_PRODUCER_ERRORS)('replaces a producer that meets %s with a new one and publishes everything', async (type) => {
    const topic = `relay.${type.toLowerCase()}.v1`;
    await kafka.createTopics([kafka.topic(topic)], 1);
    let made = 0;
    const producer = new ReplaceableProducer({ create: () => (++made === 1 ? poisoned(type) : idempotent()) });
    producers.push(producer);
    const ids = await insertOutbox(topic, 5);
    const r = relay(producer);
    r.start();
    await eventually(async () => expect(await r.backlog()).toBe(0), 20_000);
    expect(await published(topic)).toEqual(ids);
    expect(made).toBe(2);
    expect(producer.replacements).toBe(1);
  });

  it('takes the lead again after its listener connection is cut, and publishes what came meanwhile', async () => {
    const topic = 'relay.listener.v1';
    await kafka.createTopics([kafka.topic(topic)], 1);
    const producer = new ReplaceableProducer({ create: idempotent });
    producers.push(producer);
    const r = relay(producer);
    r.start();
    await eventually(() => expect(r.isLeader).toBe(true), 10_000);
    // Every session of the relay's role is cut: the listener holding the advisory lock, the pool's.
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and usename = 'svc_catalog'`, [db.dbName]);
    const ids = await insertOutbox(topic, 3);
    // The relay may publish these before the cut listener's error reaches it (its pool reconnects at once), then
    // drop the lead and take it again: wait for both rather than assume an order between them.
    await eventually(async () => expect(await r.backlog()).toBe(0), 20_000);
    await eventually(() => expect(r.isLeader).toBe(true), 10_000);
    // And it goes on publishing as the leader.
    ids.push(...(await insertOutbox(topic, 2)));
    await eventually(async () => expect(await r.backlog()).toBe(0), 20_000);
    expect(await published(topic)).toEqual(ids);
    expect(unhandled).toEqual([]);
  });

  it('survives a database it cannot reach: it says why in its health and nothing goes unhandled', async () => {
    const producer = new ReplaceableProducer({ create: idempotent });
    producers.push(producer);
    const unreachable = db.urlFor('catalog').replace(/:(\d+)\//, ':1/');
    const r = relay(producer, unreachable);
    r.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expect(r.health()).rejects.toThrow();
    expect(r.isLeader).toBe(false);
    expect(unhandled).toEqual([]);
  });
});
