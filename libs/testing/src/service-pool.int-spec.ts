import { Client } from 'pg';
import { createPool, Database } from '@shop/platform/database';
import { createTestDatabase, TestDatabase } from './postgres';

/** What every pooled connection of a service is bound by (libs/platform/database), on a real server. */
describe('service pool', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('bounds statements, lock waits and idle transactions on every connection, by default and as configured', async () => {
    const settings = async (pool: ReturnType<typeof createPool>) => {
      const database = new Database(pool);
      const [row] = await database.query<Record<string, string>>(
        `select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock,
                current_setting('idle_in_transaction_session_timeout') as idle, current_schema() as schema`,
      );
      await pool.end();
      return row;
    };
    expect(await settings(createPool({ url: db.urlFor('catalog'), schema: 'catalog' }))).toEqual({ statement: '30s', lock: '10s', idle: '1min', schema: 'catalog' });
    expect(await settings(createPool({ url: db.urlFor('catalog'), schema: 'catalog', timeouts: { statementMs: 1_500, lockMs: 200, idleInTransactionMs: 5_000 } }))).toEqual({
      statement: '1500ms',
      lock: '200ms',
      idle: '5s',
      schema: 'catalog',
    });
  });

  it('gives up a lock wait after lock_timeout, with the code the edge answers 503 for, and keeps the connection', async () => {
    const holder = new Client({ connectionString: db.urlFor('catalog'), options: '-c search_path=catalog' });
    await holder.connect();
    const pool = createPool({ url: db.urlFor('catalog'), schema: 'catalog', max: 1, timeouts: { statementMs: 5_000, lockMs: 200, idleInTransactionMs: 5_000 } });
    const database = new Database(pool);
    try {
      await holder.query('begin');
      await holder.query('lock table products in access exclusive mode');
      const err = await database.transaction((tx) => tx.query('select count(*) from products')).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: '55P03' });
      await holder.query('rollback');
      await expect(database.query('select 1 as ok')).resolves.toEqual([{ ok: 1 }]);
      expect(pool.totalCount).toBe(1);
    } finally {
      await holder.end();
      await pool.end();
    }
  });
});
