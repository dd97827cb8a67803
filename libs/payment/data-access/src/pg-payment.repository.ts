import { Injectable } from '@nestjs/common';
import { GuardedOrder, PaymentEntity, PaymentRepository, PaymentStatus } from '@shop/payment/domain';
import { statement, type Tx } from '@shop/platform/database';

const LOCK_GUARD = statement(
  `insert into order_guards (order_id, cancelled_at) values ($1, case when $2 then now() end)
   on conflict (order_id) do update set cancelled_at = coalesce(order_guards.cancelled_at, excluded.cancelled_at)
   returning cancelled_at is not null as cancelled, authorizing_at is not null as authorizing`,
);
// A statement of its own, after the lock: in the locking statement's snapshot a payment committed by the
// transaction it waited for would not be visible yet.
const FIND_PAYMENT = statement(
  `select id, order_id, customer_id, status, amount_cents, currency, provider_reference, decline_reason, refund_reference
     from payments where order_id = $1`,
);

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  status: PaymentStatus;
  amount_cents: number;
  currency: string;
  provider_reference: string | null;
  decline_reason: string | null;
  refund_reference: string | null;
}

/** Payments on the service's own SQL, inside the use case's unit of work. */
@Injectable()
export class PgPaymentRepository extends PaymentRepository<Tx> {
  async guard(tx: Tx, orderId: string, options: { cancel?: boolean } = {}): Promise<GuardedOrder> {
    const [guard] = await tx.query<{ cancelled: boolean; authorizing: boolean }>(LOCK_GUARD, [orderId, options.cancel === true]);
    const [p] = await tx.query<PaymentRow>(FIND_PAYMENT, [orderId]);
    const payment = p
      ? PaymentEntity.restore({
          id: p.id,
          orderId: p.order_id,
          customerId: p.customer_id,
          status: p.status,
          amountCents: p.amount_cents,
          currency: p.currency,
          providerReference: p.provider_reference,
          declineReason: p.decline_reason,
          refundReference: p.refund_reference,
        })
      : null;
    return { cancelled: guard.cancelled, authorizing: guard.authorizing, payment };
  }

  markAuthorizing(tx: Tx, orderId: string): void {
    tx.write({ sql: 'update order_guards set authorizing_at = coalesce(authorizing_at, now()) where order_id = $1', values: [orderId] });
  }

  add(tx: Tx, payment: PaymentEntity): void {
    const p = payment.snapshot;
    tx.write({
      sql: `insert into payments (id, order_id, customer_id, status, amount_cents, currency, provider_reference, decline_reason, refund_reference)
            values ($1, $2, $3, $4::"PaymentStatus", $5, $6, $7, $8, $9)`,
      values: [p.id, p.orderId, p.customerId, p.status, p.amountCents, p.currency, p.providerReference, p.declineReason, p.refundReference],
      key: `payment:${p.orderId}`,
    });
  }

  save(tx: Tx, payment: PaymentEntity): void {
    const p = payment.snapshot;
    tx.write({
      sql: `update payments set status = $2::"PaymentStatus", refund_reference = $3, updated_at = now() where id = $1`,
      values: [p.id, p.status, p.refundReference],
      key: `payment:${p.orderId}`,
    });
  }
}
