import type { Pool, PoolClient } from 'pg';

/** Round trips to the database, as the bench's cost per order counts them. */
export interface StatementCounts {
  /** Every statement sent, BEGIN and COMMIT included. */
  statements: number;
  /** Explicit transactions (BEGIN) plus statements sent outside one (each its own transaction). */
  transactions: number;
}

/** This process's counts: one service per process, every pool made by createPool adds here. */
export const processStatementCounts: StatementCounts = { statements: 0, transactions: 0 };

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b/i;

/**
 * Counts what the pool's connections send, whoever sends it (Prisma's adapter,
 * the repositories, the relay). It wraps each connection's `query` once, when
 * the pool makes it.
 */
export function countStatements(pool: Pool, counts: StatementCounts): void {
  pool.on('connect', (client: PoolClient) => {
    let inTransaction = false;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      counts.statements += 1;
      if (BEGIN.test(text)) {
        inTransaction = true;
        counts.transactions += 1;
      } else if (END.test(text)) {
        inTransaction = false;
      } else if (!inTransaction) {
        counts.transactions += 1;
      }
      return query(...args);
    };
  });
}
