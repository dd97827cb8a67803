import { randomUUID } from 'node:crypto';
import { PaymentEntity } from '@shop/payment/domain';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { inMemoryPayments } from '../../../test/in-memory-payments';
import { RecordingProvider } from '../../../test/recording-provider';
import { RefundPaymentHandler } from './refund-payment.handler';

function setup() {
  const world = inMemoryPayments();
  const provider = new RecordingProvider();
  const handler = new RefundPaymentHandler(world.unitOfWork.asUnitOfWork, world.payments, provider);
  const orderId = randomUUID();
  const charge = { id: randomUUID(), orderId, customerId: 'ada', amountCents: 3000, currency: 'EUR' };
  const cancelled = { id: randomUUID(), type: 'order.cancelled', data: { orderId, customerId: 'ada', reason: 'CUSTOMER_REQUEST', previousStatus: 'CONFIRMED' } } as unknown as Envelope<OrderCancelledV1>;
  const deliver = () => handler.execute(cancelled, world.inbox.context(cancelled.id));
  const stored = (payment: PaymentEntity) => world.payments.rows.set(orderId, structuredClone(payment.snapshot));
  return { ...world, provider, deliver, stored, charge, orderId };
}

describe('RefundPaymentHandler', () => {
  it('refunds an authorized charge once, however often the cancellation is delivered', async () => {
    const { deliver, stored, charge, payments, unitOfWork, provider, orderId } = setup();
    stored(PaymentEntity.authorized({ ...charge, reference: `sim_auth_${orderId}` }));
    await deliver();
    await deliver();
    expect(payments.rows.get(orderId)).toMatchObject({ status: 'REFUNDED', refundReference: `sim_refund_${orderId}` });
    expect(provider.refunds).toEqual([expect.objectContaining({ orderId, reference: `sim_auth_${orderId}`, amountCents: 3000, currency: 'EUR' })]);
    expect(unitOfWork.envelopes).toEqual([expect.objectContaining({ type: 'payment.refunded', data: expect.objectContaining({ orderId }) })]);
  });

  it('has nothing to give back for a declined card', async () => {
    const { deliver, stored, charge, payments, unitOfWork, provider, orderId } = setup();
    stored(PaymentEntity.declined({ ...charge, reason: 'card_declined' }));
    await deliver();
    expect(payments.rows.get(orderId)?.status).toBe('DECLINED');
    expect(provider.refunds).toEqual([]);
    expect(unitOfWork.published).toEqual([]);
  });

  it('marks the order cancelled when nothing was charged yet, so a late authorization refunds by itself', async () => {
    const { deliver, payments, unitOfWork, provider, orderId, inbox } = setup();
    await deliver();
    expect(payments.guards.get(orderId)).toEqual({ cancelled: true, authorizing: false });
    expect(provider.refunds).toEqual([]);
    expect(unitOfWork.published).toEqual([]);
    expect(inbox.claimed.size).toBe(1);
  });
});
