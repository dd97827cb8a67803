import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@shop/testing';
import { createPool, Database } from '@shop/platform/database';
import { Outbox } from '../outbox/outbox';
import { UnitOfWork } from './unit-of-work';

const product = (id: string, sku: string) => ({
  sql: `insert into products (id, sku, name, description, price_cents, currency, stock, version) values ($1, $2, 'n', '', 1, 'EUR', 1, 1) on conflict (sku) do nothing`,
  values: [id, sku],
  key: `product:${id}`,
});

const upserted = (id: string, sku: string) => ({
  type: 'catalog.product-upserted' as const,
  aggregateId: id,
  aggregateVersion: 1,
  data: { productId: id, sku, name: 'n', description: '', priceCents: 1, currency: 'EUR', productVersion: 1 },
});

class Duplicate extends Error {}

/** The unit of work against a real schema (the catalog's): what commits, what does not, and what it costs the pool. */
describe('unit of work', () => {
  let db: TestDatabase;
  let pool: Pool;
  let database: Database;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
    pool = createPool({ url: db.urlFor('catalog'), schema: 'catalog', max: 1 });
    database = new Database(pool);
    unitOfWork = new UnitOfWork(database, new Outbox({ source: 'catalog', schema: 'catalog' }));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const outboxFor = async (id: string) => (await database.query('select id from outbox where key = $1', [id])).length;

  it('commits nothing of a unit that only writes when a check of its writes fails: a 409 publishes no event', async () => {
    const sku = `sku-${randomUUID()}`;
    const first = randomUUID();
    await unitOfWork.run(async (tx) => {
      tx.write(product(first, sku));
      tx.publish(upserted(first, sku));
    });
    const second = randomUUID();
    await expect(
      unitOfWork.run(async (tx) => {
        tx.write({ ...product(second, sku), expect: (n) => { if (n === 0) throw new Duplicate('duplicate sku'); } });
        tx.publish(upserted(second, sku));
      }),
    ).rejects.toBeInstanceOf(Duplicate);
    expect(await outboxFor(first)).toBe(1);
    expect(await outboxFor(second)).toBe(0);
  });

  it('still sends a unit that only writes, with no check, as one statement outside a transaction', async () => {
    const id = randomUUID();
    const sent: string[] = [];
    const client = await pool.connect();
    const query = client.query.bind(client);
    // Every statement of the unit goes through the pool's one connection.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      sent.push(typeof first === 'string' ? first : first.text);
      return (query as (...a: unknown[]) => unknown)(...args);
    };
    client.release();
    try {
      await unitOfWork.run(async (tx) => {
        tx.write(product(id, `sku-${id}`));
        tx.publish(upserted(id, `sku-${id}`));
      });
    } finally {
      (client as unknown as { query: unknown }).query = query;
    }
    expect(sent).toHaveLength(1);
    expect(await outboxFor(id)).toBe(1);
  });

  it('keeps its connection when the work throws an error of its own: only a broken connection is discarded', async () => {
    expect(pool.totalCount).toBe(1);
    const [{ pid: before }] = await database.query<{ pid: number }>('select pg_backend_pid() as pid');
    for (const fail of [new Duplicate('a domain refusal'), new Error('anything else')]) {
      await expect(
        unitOfWork.run(async (tx) => {
          await tx.query('select 1');
          throw fail;
        }),
      ).rejects.toBe(fail);
    }
    const [{ pid: after }] = await database.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(after).toBe(before);
  });

  it('discards a connection that broke under it, and the next unit gets a working one', async () => {
    await expect(
      unitOfWork.run(async (tx) => {
        await tx.query('select pg_terminate_backend(pg_backend_pid())');
      }),
    ).rejects.toThrow();
    await expect(database.query('select 1 as ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
