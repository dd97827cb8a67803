import { PaymentEntity, PaymentProps, PaymentRepository, GuardedOrder } from '@shop/payment/domain';
import { InMemoryInbox, InMemoryTx, InMemoryUnitOfWork, UnitTx } from '@shop/platform/messaging';

const copy = <T>(value: T): T => structuredClone(value);

/** Payments and the orders' guards kept in maps; what a unit changes is applied only if it commits. */
export class InMemoryPaymentRepository extends PaymentRepository<UnitTx> {
  /** Payments by order (one per order). */
  readonly rows = new Map<string, PaymentProps>();
  readonly guards = new Map<string, { cancelled: boolean; authorizing: boolean }>();

  guard(tx: UnitTx, orderId: string, options: { cancel?: boolean } = {}): Promise<GuardedOrder> {
    const current = this.guards.get(orderId) ?? { cancelled: false, authorizing: false };
    const guard = { ...current, cancelled: current.cancelled || options.cancel === true };
    InMemoryTx.of(tx).stage(() => this.guards.set(orderId, { ...(this.guards.get(orderId) ?? guard), cancelled: guard.cancelled }));
    const row = this.rows.get(orderId);
    return Promise.resolve({ ...guard, payment: row ? PaymentEntity.restore(copy(row)) : null });
  }

  markAuthorizing(tx: UnitTx, orderId: string): void {
    InMemoryTx.of(tx).stage(() => this.guards.set(orderId, { cancelled: false, ...this.guards.get(orderId), authorizing: true }));
  }

  add(tx: UnitTx, payment: PaymentEntity): void {
    const props = copy(payment.snapshot);
    if (this.rows.has(props.orderId)) throw new Error(`order ${props.orderId} has a payment already`);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.orderId, props));
  }

  save(tx: UnitTx, payment: PaymentEntity): void {
    const props = copy(payment.snapshot);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.orderId, props));
  }
}

/** The payment service's use cases on in-memory state. */
export function inMemoryPayments() {
  return { unitOfWork: new InMemoryUnitOfWork('payment'), payments: new InMemoryPaymentRepository(), inbox: new InMemoryInbox() };
}
