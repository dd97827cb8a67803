import type { OutboundEvent } from '@shop/platform/messaging';
import type { PaymentEntity, PaymentEvent, StoredPayment } from '@shop/payment/domain';
import type { PaymentView } from '@shop/shared/contracts';

export function toPaymentView(p: StoredPayment): PaymentView {
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

/**
 * The integration events for what the payment recorded. Keyed by its order:
 * there is one payment per order (the database enforces it), so the order id
 * names the payment and keeps one order's payment events in one partition, in
 * order.
 */
export function toOutboundEvents(payment: PaymentEntity, events: PaymentEvent[]): OutboundEvent[] {
  const { id: paymentId, orderId, amountCents, currency } = payment.snapshot;
  return events.map((e): OutboundEvent => {
    const base = { aggregateId: orderId, aggregateVersion: e.version };
    switch (e.type) {
      case 'authorized':
        return { ...base, type: 'payment.authorized', data: { paymentId, orderId, amountCents, currency } };
      case 'declined':
        return { ...base, type: 'payment.declined', data: { paymentId, orderId, reason: e.reason } };
      case 'refunded':
        return { ...base, type: 'payment.refunded', data: { paymentId, orderId, amountCents, currency } };
    }
  });
}
