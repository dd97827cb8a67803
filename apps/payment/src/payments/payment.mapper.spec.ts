import { randomUUID } from 'node:crypto';
import { PaymentEntity } from '@shop/payment/domain';
import { toOutboundEvents, toPaymentView } from './payment.mapper';

const charge = () => ({ id: randomUUID(), orderId: randomUUID(), customerId: 'ada', amountCents: 3000, currency: 'EUR' });

describe('payment mapper', () => {
  it('turns an authorization and its refund into payment.authorized (version 1) and payment.refunded (version 2), keyed by the order', () => {
    const c = charge();
    const payment = PaymentEntity.authorized({ ...c, reference: 'ref-1' });
    payment.refund('refund-1');
    expect(toOutboundEvents(payment, payment.pullEvents())).toEqual([
      {
        type: 'payment.authorized',
        aggregateId: c.orderId,
        aggregateVersion: 1,
        data: { paymentId: c.id, orderId: c.orderId, amountCents: 3000, currency: 'EUR' },
      },
      {
        type: 'payment.refunded',
        aggregateId: c.orderId,
        aggregateVersion: 2,
        data: { paymentId: c.id, orderId: c.orderId, amountCents: 3000, currency: 'EUR' },
      },
    ]);
  });

  it('turns a decline into payment.declined with its reason, keyed by the order', () => {
    const c = charge();
    const payment = PaymentEntity.declined({ ...c, reason: 'card_declined' });
    expect(toOutboundEvents(payment, payment.pullEvents())).toEqual([
      { type: 'payment.declined', aggregateId: c.orderId, aggregateVersion: 1, data: { paymentId: c.id, orderId: c.orderId, reason: 'card_declined' } },
    ]);
  });

  it('shows a stored payment without its customer or the provider references', () => {
    const c = charge();
    const at = new Date('2026-12-01T10:00:00.000Z');
    const view = toPaymentView({ ...c, status: 'AUTHORIZED', providerReference: 'ref-1', declineReason: null, refundReference: null, createdAt: at, updatedAt: at });
    expect(view).toEqual({ id: c.id, orderId: c.orderId, status: 'AUTHORIZED', amountCents: 3000, currency: 'EUR', createdAt: at.toISOString(), updatedAt: at.toISOString() });
  });
});
