import type { PaymentEntity } from './payment.entity';

/**
 * The order's guard, locked: one row per order that the authorization and the
 * refund both lock first (the arbiter of their race), and the order's payment
 * as it stands under that lock.
 */
export interface GuardedOrder {
  /** The order was cancelled (a refund was asked for). */
  cancelled: boolean;
  /** An authorization was asked of the provider: a cancel leaves the refund to it. */
  authorizing: boolean;
  payment: PaymentEntity | null;
}

/**
 * Where payments are kept (the port; the data-access library implements it).
 * `Tx` is the use case's unit of work. Every write of an order's payment
 * happens under the order's guard.
 */
export abstract class PaymentRepository<Tx = unknown> {
  /** Locks the order's guard until the unit ends (with `cancel`, marks the order cancelled) and reads its payment. */
  abstract guard(tx: Tx, orderId: string, options?: { cancel?: boolean }): Promise<GuardedOrder>;
  /** Notes, under the guard, that the provider is about to be asked. */
  abstract markAuthorizing(tx: Tx, orderId: string): void;
  /** The order's one payment, as the provider decided it. */
  abstract add(tx: Tx, payment: PaymentEntity): void;
  /** Its refund. */
  abstract save(tx: Tx, payment: PaymentEntity): void;
}
