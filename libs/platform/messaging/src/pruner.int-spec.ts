import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@shop/testing';
import { createPool, Database } from '@shop/platform/database';
import { Pruner } from './pruner';

/** Pruning against the real order schema: what goes, what stays, and that each run is bounded. */
describe('pruner', () => {
  let db: TestDatabase;
  let sql: Client;
  let database: Database;
  const day = 86_400_000;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('order');
    sql = new Client({ connectionString: db.urlFor('order'), options: '-c search_path=orders' });
    await sql.connect();
    database = new Database(createPool({ url: db.urlFor('order'), schema: 'orders' }));
  });

  afterAll(async () => {
    await sql?.end();
    await database?.pool.end();
    await db?.drop();
  });

  async function outbox(publishedAt: Date | null, createdAt: Date): Promise<string> {
    const id = randomUUID();
    await sql.query(`insert into outbox (id, topic, key, type, payload, created_at, published_at) values ($1, 't', 'k', 'x.y', '{}', $2, $3)`, [id, createdAt, publishedAt]);
    return id;
  }

  it('deletes published outbox rows and idempotency keys past the retention, inbox rows past twice that, and nothing else', async () => {
    await outbox(ago(8 * day), ago(8 * day)); // published and old: goes
    const oldUnpublished = await outbox(null, ago(8 * day)); // never lost, however old
    const recent = await outbox(ago(1 * day), ago(1 * day));
    const inbox = async (at: Date) => {
      const id = randomUUID();
      await sql.query(`insert into inbox (consumer_group, event_id, event_type, processed_at) values ('order', $1, 'x.y', $2)`, [id, at]);
      return id;
    };
    await inbox(ago(15 * day)); // older than twice the window: goes
    const inboxKept = await inbox(ago(8 * day)); // older than the outbox's window, younger than twice it
    await sql.query(`insert into idempotency_keys (customer_id, key, request_hash, order_id, created_at) values ('c', 'old', 'h', $1, $2), ('c', 'new', 'h', $1, $3)`, [
      randomUUID(),
      ago(8 * day),
      ago(1 * day),
    ]);

    const pruner = new Pruner({
      db: database,
      retentionMs: 7 * day,
      tables: [{ table: 'idempotency_keys', column: 'created_at' }],
    });
    try {
      expect(await pruner.pruneOnce(now)).toEqual({ outbox: 1, inbox: 1, idempotency_keys: 1 });
      expect(await pruner.pruneOnce(now)).toEqual({ outbox: 0, inbox: 0, idempotency_keys: 0 });
    } finally {
      await pruner.stop();
    }
    const ids = async (q: string) => (await sql.query<{ id: string }>(q)).rows.map((r) => r.id).sort();
    expect(await ids('select id::text as id from outbox')).toEqual([oldUnpublished, recent].sort());
    expect(await ids('select event_id::text as id from inbox')).toEqual([inboxKept]);
    expect(await ids('select key as id from idempotency_keys')).toEqual(['new']);
  });

  it('deletes at most batchSize x maxBatches rows per table per run', async () => {
    await sql.query('truncate outbox');
    for (let i = 0; i < 25; i++) await outbox(ago(30 * day), ago(30 * day));
    const pruner = new Pruner({ db: database, retentionMs: day, batchSize: 5, maxBatches: 3 });
    try {
      expect((await pruner.pruneOnce(now)).outbox).toBe(15);
      expect((await pruner.pruneOnce(now)).outbox).toBe(10);
    } finally {
      await pruner.stop();
    }
  });
});
