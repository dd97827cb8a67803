import { PrismaPg } from '@prisma/adapter-pg';
import { setFlagsFromString } from 'node:v8';
import { Pool } from 'pg';
import { countStatements, processStatementCounts, StatementCounts } from './statement-counter';

/**
 * Prisma 7 plans queries in a WASM module. V8's optimizing tier recompiles it
 * once it is hot and keeps both copies: about 50 MB of each service's resident
 * memory for no measured gain in CPU per order (bench/PROFILE.md). The baseline
 * compiler alone serves it. Set before the client's first query compiles the
 * module; it only concerns WebAssembly.
 */
setFlagsFromString('--liftoff-only');

export interface DatabaseOptions {
  url: string;
  /** The service's own Postgres schema; the adapter ignores `?schema=` in the URL. */
  schema: string;
  poolSize?: number;
  /** Server-side bounds for every connection of the pool (statement_timeout, lock_timeout, idle_in_transaction_session_timeout). */
  timeouts?: DatabaseTimeouts;
  /** The service's migrations, by name: readiness waits until each one is applied. */
  migrations?: readonly string[];
}

export interface DatabaseTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

/** What a service runs with unless configured otherwise (DATABASE_*_TIMEOUT_MS). */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 };

/** A connection pool bound to the service's schema, whose statements are counted (processStatementCounts by default). */
export function createPool(options: DatabaseOptions & { max?: number }, counts: StatementCounts = processStatementCounts): Pool {
  const t = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const pool = new Pool({
    connectionString: options.url,
    max: options.max ?? options.poolSize ?? 16,
    connectionTimeoutMillis: 5_000,
    // Every pooled connection resolves unqualified names in the service schema only, and the server ends what
    // would otherwise hold it forever: a stuck statement, a lock wait, a transaction its client forgot.
    options: [
      `-c search_path=${options.schema}`,
      `-c statement_timeout=${t.statementMs}`,
      `-c lock_timeout=${t.lockMs}`,
      `-c idle_in_transaction_session_timeout=${t.idleInTransactionMs}`,
    ].join(' '),
  });
  // An idle connection the server drops must not crash the process: the next query takes a new one.
  pool.on('error', () => undefined);
  countStatements(pool, counts);
  return pool;
}

/**
 * A Prisma driver adapter bound to one service schema, over the given pool
 * (which its owner ends), or a pool of its own that the client's $disconnect ends.
 */
export function createPgAdapter(options: DatabaseOptions, pool?: Pool): PrismaPg {
  return new PrismaPg(pool ?? createPool(options), { schema: options.schema, disposeExternalPool: !pool });
}

interface RawQueryable {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
}

/**
 * Fails start-up when the connection does not land in the expected schema,
 * so a wrong URL or role shows at once rather than as "table not found" later.
 */
export async function assertCurrentSchema(client: RawQueryable, expected: string): Promise<void> {
  const rows = await client.query('select current_schema() as schema');
  const actual = rows[0]?.schema as string | null | undefined;
  if (actual !== expected) {
    throw new Error(`database: connected to schema ${actual ?? '(none)'} but this service owns ${expected}`);
  }
}

/** Turns a driver error into the one line an operator needs. */
export function describeConnectionError(err: unknown, url: string): string {
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  const where = `Postgres at ${safe.host}${safe.pathname} as ${safe.username || '(default user)'}`;
  const e = err as { code?: string; message?: string };
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e?.code ?? '') || /timeout exceeded when trying to connect/i.test(e?.message ?? '')) {
    return `cannot reach ${where}: connection refused or timed out`;
  }
  const lines = (e?.message ?? String(err)).split('\n').map((l) => l.trim()).filter(Boolean);
  return `cannot use ${where}: ${lines[lines.length - 1] ?? 'unknown error'}`;
}
