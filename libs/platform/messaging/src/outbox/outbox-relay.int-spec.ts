import { randomUUID } from 'node:crypto';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { Kafka, KafkaJSProtocolError, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { createPool, Database } from '@shop/platform/database';
import { createTestDatabase, eventually, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { readTopicsToEnd } from '../topic-reader';
import { FATAL_PRODUCER_ERRORS, ReplaceableProducer } from '../producer';
import { OutboxRelay } from './outbox-relay';

/**
 * A TCP proxy to Postgres whose network can be cut without a word: no FIN, no
 * reset, nothing passes either way until it is healed (what a dead node or a
 * pulled cable looks like; TCP would keep retransmitting).
 */
class SeverableProxy {
  private readonly pairs: Array<[Socket, Socket]> = [];
  private readonly server: Server;
  private cut = false;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      this.pairs.push([client, upstream]);
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
      if (this.cut) this.hold(client, upstream);
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }

  sever(): void {
    this.cut = true;
    for (const [a, b] of this.pairs) this.hold(a, b);
  }

  heal(): void {
    this.cut = false;
    for (const [a, b] of this.pairs) {
      a.pipe(b);
      b.pipe(a);
      a.resume();
      b.resume();
    }
  }

  async stop(): Promise<void> {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    await new Promise((r) => this.server.close(r));
  }

  private hold(a: Socket, b: Socket): void {
    a.unpipe(b);
    b.unpipe(a);
    a.pause();
    b.pause();
  }
}

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

  // As the services make theirs: topics are created on purpose, never by a send.
  const idempotent = () => client.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });

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

  function relay(producer: ReplaceableProducer, url = db.urlFor('catalog'), leaseMs?: number): OutboxRelay {
    const database = new Database(createPool({ url, schema: 'catalog' }));
    databases.push(database);
    const r = new OutboxRelay({ db: database, databaseUrl: url, schema: 'catalog', producer, topicPrefix: `${kafka.prefix}.`, pollIntervalMs: 100, maxBackoffMs: 500, leaseMs });
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

  it('hands the lead to another instance within its lease when the leader is cut off without a word (no FIN), and the old one stops publishing', async () => {
    const LEASE_MS = 2_000;
    const topic = 'relay.severed.v1';
    await kafka.createTopics([kafka.topic(topic)], 1);
    const direct = new URL(db.urlFor('catalog'));
    const proxy = new SeverableProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct.href);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(await proxy.start());
    try {
      const producer = new ReplaceableProducer({ create: idempotent });
      producers.push(producer);
      // The leader reaches the database through the proxy, its whole node as one: the pool and the listener.
      const leader = relay(producer, viaProxy.href, LEASE_MS);
      leader.start();
      await eventually(() => expect(leader.isLeader).toBe(true), 10_000);
      const standby = relay(producer, db.urlFor('catalog'), LEASE_MS);
      standby.start();
      const before = await insertOutbox(topic, 2);
      await eventually(async () => expect(await published(topic)).toEqual(before), 10_000);
      expect(standby.isLeader).toBe(false);

      proxy.sever();
      const severedAt = Date.now();
      const ids = await insertOutbox(topic, 3);
      await eventually(() => expect(standby.isLeader).toBe(true), 3 * LEASE_MS);
      const handedOverMs = Date.now() - severedAt;
      // The stated bound: the lease, plus a poll of the standby and a margin for a loaded machine.
      expect(handedOverMs).toBeLessThan(LEASE_MS + 2_000);
      expect(leader.isLeader).toBe(false);
      await eventually(async () => expect(await published(topic)).toEqual([...before, ...ids]), 10_000);
      proxy.heal();
    } finally {
      proxy.heal();
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await proxy.stop();
    }
  });

  it('sets aside a record the broker refuses for good, holds back its aggregate, and publishes every other', async () => {
    const topic = 'relay.refused.v1';
    await kafka.createTopics([kafka.topic(topic)], 1);
    const producer = new ReplaceableProducer({ create: idempotent });
    producers.push(producer);
    const huge = randomUUID();
    const ok = await insertOutbox(topic, 2);
    // Larger than the broker's message.max.bytes (1 MB by default): MESSAGE_TOO_LARGE, whatever is tried again.
    await admin.query(`insert into catalog.outbox (id, topic, key, type, payload) values ($1, $2, 'aggregate-x', 'catalog.product-upserted', $3)`, [
      huge,
      topic,
      JSON.stringify({ id: huge, padding: 'x'.repeat(2_000_000) }),
    ]);
    const behind = randomUUID();
    await admin.query(`insert into catalog.outbox (id, topic, key, type, payload) values ($1, $2, 'aggregate-x', 'catalog.product-upserted', $3)`, [behind, topic, JSON.stringify({ id: behind })]);
    const after = await insertOutbox(topic, 2);
    const r = relay(producer);
    r.start();
    await eventually(async () => expect(await published(topic)).toEqual([...ok, ...after]), 20_000);
    const health = await r.health();
    expect(health.failedRows).toBe(1);
    const { rows } = await admin.query<{ id: string; failed: boolean; published: boolean; error: string | null }>(
      `select id, failed_at is not null as failed, published_at is not null as published, last_error as error from catalog.outbox where key = 'aggregate-x' order by seq`,
    );
    expect(rows.map((row) => [row.id, row.failed, row.published])).toEqual([
      [huge, true, false],
      [behind, false, false],
    ]);
    expect(rows[0].error).toMatch(/larger than the max message size/);
    // Nothing more goes out for it while it waits for an operator, however long the relay runs.
    const later = await insertOutbox(topic, 1);
    await eventually(async () => expect(await published(topic)).toEqual([...ok, ...after, ...later]), 10_000);
  });

  it('goes on with the other topics while one cannot take events, and publishes it once it can', async () => {
    const missing = 'relay.missing.v1';
    const present = 'relay.present.v1';
    await kafka.createTopics([kafka.topic(present)], 1);
    const producer = new ReplaceableProducer({ create: idempotent });
    producers.push(producer);
    const waiting = await insertOutbox(missing, 2);
    const going = await insertOutbox(present, 3);
    const r = relay(producer);
    r.start();
    await eventually(async () => expect(await published(present)).toEqual(going), 30_000);
    await eventually(async () => expect((await r.health()).blockedTopics.map((b) => b.topic)).toEqual([missing]), 30_000);
    await kafka.createTopics([kafka.topic(missing)], 1);
    await eventually(async () => expect(await published(missing)).toEqual(waiting), 60_000);
    expect(await r.backlog()).toBe(0);
  }, 120_000);
});
