import type { OutboundEvent } from '@shop/platform/messaging';
import type { PaymentRecord } from '@shop/payment/data-access';
import type { PaymentEntity } from '@shop/payment/domain';
import type { PaymentView } from '@shop/shared/contracts';

export function toPaymentView(p: PaymentRecord): PaymentView {
  return {
    id: p.id,
    orderId: p.orderId,
    status: p.status,
    amountCents: p.amountCents,
    currency: p.currency,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/*
 * Events about a payment are keyed by its order: there is one payment per
 * order (the database enforces it), so the order id names the payment and
 * keeps one order's payment events in one partition, in order.
 */

export function paymentDecided(payment: PaymentEntity): OutboundEvent<'payment.authorized'> | OutboundEvent<'payment.declined'> {
  const p = payment.snapshot;
  if (p.status === 'AUTHORIZED') {
    return {
      type: 'payment.authorized',
      aggregateId: p.orderId,
      aggregateVersion: payment.version,
      data: { paymentId: p.id, orderId: p.orderId, amountCents: p.amountCents, currency: p.currency },
    };
  }
  if (p.status === 'DECLINED' && p.declineReason) {
    return {
      type: 'payment.declined',
      aggregateId: p.orderId,
      aggregateVersion: payment.version,
      data: { paymentId: p.id, orderId: p.orderId, reason: p.declineReason },
    };
  }
  throw new Error(`payment ${p.id} is ${p.status}, not a decision`);
}

export function paymentRefunded(payment: PaymentEntity): OutboundEvent<'payment.refunded'> {
  const p = payment.snapshot;
  return {
    type: 'payment.refunded',
    aggregateId: p.orderId,
    aggregateVersion: payment.version,
    data: { paymentId: p.id, orderId: p.orderId, amountCents: p.amountCents, currency: p.currency },
  };
}
