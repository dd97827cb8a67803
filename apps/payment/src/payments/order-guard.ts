import type { PaymentTx } from '@shop/payment/data-access';

export interface OrderGuardState {
  cancelled: boolean;
  authorizing: boolean;
}

/**
 * Locks the order's guard row, creating it when missing, and reads it; with
 * `cancel`, marks the order cancelled in the same statement. The
 * authorization and the refund of one order each lock it first, in the
 * transaction that writes their effect, so whichever comes second sees what
 * the first one did: one arbiter row, under a lock, in one table.
 */
export async function lockOrderGuard(tx: PaymentTx, orderId: string, options: { cancel?: boolean } = {}): Promise<OrderGuardState> {
  const [row] = await tx.$queryRawUnsafe<OrderGuardState[]>(
    `insert into order_guards (order_id, cancelled_at) values ($1::uuid, case when $2 then now() end)
     on conflict (order_id) do update set cancelled_at = coalesce(order_guards.cancelled_at, excluded.cancelled_at)
     returning cancelled_at is not null as cancelled, authorizing_at is not null as authorizing`,
    orderId,
    options.cancel === true,
  );
  return row;
}

/** Notes, under the guard's lock, that the provider is about to be asked: a cancel from now on leaves the refund to the authorization. */
export async function markAuthorizing(tx: PaymentTx, orderId: string): Promise<void> {
  await tx.$executeRawUnsafe('update order_guards set authorizing_at = coalesce(authorizing_at, now()) where order_id = $1::uuid', orderId);
}
