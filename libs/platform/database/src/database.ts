import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';

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

/** An error the server raised (it carries a severity): the connection stays usable, unlike after a socket error or a timeout. */
export function isServerError(err: unknown): boolean {
  return typeof (err as { severity?: unknown } | null)?.severity === 'string';
}

/**
 * One connection of the pool, held for a transaction (or a statement). It
 * knows whether it broke while held (the socket failed, a query timed out, the
 * server ended the session) and gives it back accordingly: a broken one is
 * discarded, a good one goes back to the pool whatever the caller's own
 * errors were, so a refused request never costs a new Postgres connection.
 */
export class Connection implements Queryable {
  private failure?: Error;
  private readonly onError = (err: Error) => {
    this.failure ??= err;
  };

  constructor(readonly client: PoolClient) {
    // Held, the client is out of the pool's sight: an error event with no listener would end the process.
    client.on('error', this.onError);
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]> {
    return (await this.send<R>(asConfig(sql, values))).rows;
  }

  async execute(sql: string | Statement, values?: unknown[]): Promise<number> {
    return (await this.send(asConfig(sql, values))).rowCount ?? 0;
  }

  // Transaction control goes as a simple query: nothing to prepare or bind.
  async begin(): Promise<void> {
    await this.send('begin');
  }

  async commit(): Promise<void> {
    await this.send('commit');
  }

  /** Never throws: a connection that cannot roll back is broken, and discarded on release. */
  async rollback(): Promise<void> {
    await this.send('rollback').catch(() => undefined);
  }

  /** Gives the connection back to the pool, or ends it when it broke. Call once. */
  release(): void {
    this.client.removeListener('error', this.onError);
    this.client.release(this.failure);
  }

  private async send<R extends QueryResultRow = QueryResultRow>(query: string | QueryConfig) {
    if (this.failure) throw this.failure;
    try {
      return await this.client.query<R>(query);
    } catch (err) {
      if (!isServerError(err)) this.failure ??= err as Error;
      throw err;
    }
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

  // Not pool.query: it discards the connection after any error, a unique violation included.
  query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]> {
    return this.withConnection((c) => c.query<R>(sql, values));
  }

  execute(sql: string | Statement, values?: unknown[]): Promise<number> {
    return this.withConnection((c) => c.execute(sql, values));
  }

  /** A connection of the pool, held until its `release()`. */
  async connect(): Promise<Connection> {
    return new Connection(await this.pool.connect());
  }

  /** Runs `work` on one connection of the pool and gives it back; a broken connection is discarded, not reused. */
  async withConnection<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    try {
      return await work(connection);
    } finally {
      connection.release();
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
