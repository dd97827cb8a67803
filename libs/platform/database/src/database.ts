import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * A statement with a name derived from its text: pg parses it once per
 * connection, then only binds and executes it (a prepared statement).
 */
export interface Statement {
  name: string;
  text: string;
}

const statements = new Map<string, Statement>();

/** The prepared form of `text` (the same object for the same text, so the name is stable). */
export function statement(text: string): Statement {
  let s = statements.get(text);
  if (!s) {
    s = { name: `s_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    statements.set(text, s);
  }
  return s;
}

/** What code needs to talk SQL, in a transaction or not. */
export interface Queryable {
  /** The rows a statement returns. */
  query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]>;
  /** How many rows a statement touched. */
  execute(sql: string | Statement, values?: unknown[]): Promise<number>;
}

function asConfig(sql: string | Statement, values: unknown[] | undefined) {
  const s = typeof sql === 'string' ? statement(sql) : sql;
  return { name: s.name, text: s.text, values };
}

/** One connection, held for a transaction (or a statement). */
export class Connection implements Queryable {
  constructor(readonly client: PoolClient) {}

  async query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]> {
    return (await this.client.query<R>(asConfig(sql, values))).rows;
  }

  async execute(sql: string | Statement, values?: unknown[]): Promise<number> {
    return (await this.client.query(asConfig(sql, values))).rowCount ?? 0;
  }

  // Transaction control goes as a simple query: nothing to prepare or bind.
  async begin(): Promise<void> {
    await this.client.query('begin');
  }

  async commit(): Promise<void> {
    await this.client.query('commit');
  }

  async rollback(): Promise<void> {
    await this.client.query('rollback').catch(() => undefined);
  }
}

/**
 * The service's database: one pg pool, shared with Prisma's adapter, on which
 * the hot paths send their own SQL as prepared statements.
 */
export class Database implements Queryable {
  constructor(
    readonly pool: Pool,
    private readonly about: { schema?: string; migrations?: readonly string[] } = {},
  ) {}

  /** Readiness: a round trip to the database. */
  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  /** Readiness: every migration this build knows is applied, so the tables it uses exist. */
  async checkMigrations(): Promise<void> {
    const expected = this.about.migrations ?? [];
    if (expected.length === 0) return;
    const [exists] = await this.query<{ t: string | null }>(`select to_regclass('_prisma_migrations')::text as t`);
    const applied = exists?.t
      ? await this.query<{ migration_name: string }>('select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null')
      : [];
    const done = new Set(applied.map((r) => r.migration_name));
    const missing = expected.filter((name) => !done.has(name));
    if (missing.length) throw new Error(`${missing.length} migration(s) not applied to ${this.about.schema ?? 'the schema'}: ${missing.join(', ')}`);
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(asConfig(sql, values))).rows;
  }

  async execute(sql: string | Statement, values?: unknown[]): Promise<number> {
    return (await this.pool.query(asConfig(sql, values))).rowCount ?? 0;
  }

  /** Runs `work` on one connection of the pool and gives it back; a broken connection is discarded, not reused. */
  async withConnection<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(new Connection(client));
    } catch (err) {
      // A connection error leaves the client unusable; a SQL error does not.
      if (!(err as { severity?: string }).severity) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** BEGIN, `work`, COMMIT on one connection; ROLLBACK when `work` throws. */
  transaction<T>(work: (tx: Connection) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      await connection.begin();
      try {
        const result = await work(connection);
        await connection.commit();
        return result;
      } catch (err) {
        await connection.rollback();
        throw err;
      }
    });
  }
}
