import type { DeliveryTx } from '@shop/delivery/data-access';

/**
 * Locks the order's guard row, creating it when missing, and says whether the
 * order is cancelled; with `cancel`, marks it cancelled in the same statement.
 * Scheduling and cancelling one order each lock it first, in the transaction
 * that writes their effect, so whichever comes second sees what the first did:
 * one arbiter row, under a lock, in one table.
 */
export async function lockOrderGuard(tx: DeliveryTx, orderId: string, options: { cancel?: boolean } = {}): Promise<{ cancelled: boolean }> {
  const [row] = await tx.$queryRawUnsafe<Array<{ cancelled: boolean }>>(
    `insert into order_guards (order_id, cancelled_at) values ($1::uuid, case when $2 then now() end)
     on conflict (order_id) do update set cancelled_at = coalesce(order_guards.cancelled_at, excluded.cancelled_at)
     returning cancelled_at is not null as cancelled`,
    orderId,
    options.cancel === true,
  );
  return row;
}
