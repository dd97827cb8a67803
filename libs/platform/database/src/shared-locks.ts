import { createHash } from 'node:crypto';
import { Queryable, statement } from './database';

/** Evaluated row by row in the array's order, so the locks are taken in that order. */
const LOCK = statement('select pg_advisory_xact_lock(k) from unnest($1::bigint[]) as k');

/** A name's advisory-lock key: the first 8 bytes of its SHA-256, as a signed 64-bit integer. */
function keyOf(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
}

/**
 * Takes the transaction-scoped advisory lock of each name (released at commit
 * or rollback), in ascending key order whatever order the names come in: two
 * units asking for overlapping names queue on the first name they share and
 * can never hold one each while waiting for the other. Advisory locks are
 * database-wide, so names start with the schema (`catalog.products`). A
 * consumer takes the names its handlers give (EventHandler.locks); a unit
 * outside a consumer that changes the same rows takes them itself, first.
 */
export async function lockShared(tx: Pick<Queryable, 'query'>, names: Iterable<string>): Promise<void> {
  const keys = [...new Set([...names].map(keyOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return;
  await tx.query(LOCK, [keys.map(String)]);
}
