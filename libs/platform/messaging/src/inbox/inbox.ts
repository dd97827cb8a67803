import type { SqlTx, TransactionRunner } from '../sql-client';

/** Records the event in the inbox, inside the caller's transaction; false when this group had it already. */
export async function recordInbox(tx: SqlTx, group: string, event: { id: string; type: string }): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    'insert into inbox (consumer_group, event_id, event_type) values ($1, $2::uuid, $3) on conflict do nothing',
    group,
    event.id,
    event.type,
  );
  return inserted > 0;
}

/**
 * Applies an event's effect at most once per consumer group: the inbox row
 * and the effect commit together, so a redelivered or replayed event finds
 * its row and changes nothing. Returns false for a duplicate.
 */
export async function processOnce<Tx extends SqlTx>(
  db: TransactionRunner<Tx>,
  group: string,
  event: { id: string; type: string },
  effect: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(
    async (tx) => {
      if (!(await recordInbox(tx, group, event))) return false;
      await effect(tx);
      return true;
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
}
