import { statement } from '@shop/platform/database';
import type { UnitTx } from '../unit-of-work/unit-of-work';

const CLAIM = statement(
  `insert into inbox (consumer_group, event_id, event_type)
   select $1, e.id, e.type from unnest($2::uuid[], $3::text[]) as e(id, type)
   on conflict do nothing returning event_id::text as id`,
);

/**
 * Records events in the consumer group's inbox inside the unit that applies
 * them, in one statement for any number of events, and returns the ids that
 * were new: only those are applied. An event redelivered, replayed or
 * republished finds its row and changes nothing, because the row and the
 * effect commit together.
 */
export async function claimEvents(tx: UnitTx, group: string, events: Array<{ id: string; type: string }>): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(CLAIM, [group, events.map((e) => e.id), events.map((e) => e.type)]);
  return new Set(rows.map((r) => r.id));
}
