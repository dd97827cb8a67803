import { randomUUID } from 'node:crypto';
import type { Envelope, OrderAwaitingPaymentV1, OrderCancelledV1 } from '@shop/shared/contracts';
import { inMemoryPayments } from '../../../test/in-memory-payments';
import { RecordingProvider } from '../../../test/recording-provider';
import { RefundPaymentHandler } from '../refund-payment/refund-payment.handler';
import { AuthorizePaymentHandler } from './authorize-payment.handler';

const envelope = <T>(type: string, data: T) => ({ id: randomUUID(), type, data }) as unknown as Envelope<T>;

function setup(paymentToken = 'tok_visa') {
  const world = inMemoryPayments();
  const provider = new RecordingProvider();
  const authorize = new AuthorizePaymentHandler(world.unitOfWork.asUnitOfWork, world.payments, provider);
  const refund = new RefundPaymentHandler(world.unitOfWork.asUnitOfWork, world.payments, provider);
  const orderId = randomUUID();
  const awaiting = envelope<OrderAwaitingPaymentV1>('order.awaiting-payment', { orderId, customerId: 'ada', amountCents: 3000, currency: 'EUR', paymentToken });
  const cancelled = envelope<OrderCancelledV1>('order.cancelled', { orderId, customerId: 'ada', reason: 'CUSTOMER_REQUEST', previousStatus: 'AWAITING_PAYMENT' });
  /** One delivery of an event to its handler, as the consumer makes it (the same event id each time). */
  const deliver = {
    awaiting: () => authorize.execute(awaiting, world.inbox.context(awaiting.id)),
    cancelled: () => refund.execute(cancelled, world.inbox.context(cancelled.id)),
  };
  return { ...world, provider, deliver, orderId };
}

describe('AuthorizePaymentHandler', () => {
  it('charges an order awaiting payment and publishes payment.authorized', async () => {
    const { deliver, payments, unitOfWork, orderId, provider } = setup();
    await deliver.awaiting();
    expect(payments.rows.get(orderId)).toMatchObject({ status: 'AUTHORIZED', amountCents: 3000, providerReference: `sim_auth_${orderId}` });
    expect(provider.authorizations).toEqual([expect.objectContaining({ orderId, amountCents: 3000, token: 'tok_visa' })]);
    expect(unitOfWork.envelopes).toEqual([expect.objectContaining({ type: 'payment.authorized', data: expect.objectContaining({ orderId }) })]);
  });

  it('records a declined card as declined, and publishes payment.declined', async () => {
    const { deliver, payments, unitOfWork, orderId } = setup('tok_decline_insufficient');
    await deliver.awaiting();
    expect(payments.rows.get(orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined' });
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['payment.declined']);
  });

  it('charges once however often the event is delivered', async () => {
    const { deliver, unitOfWork, provider } = setup();
    await deliver.awaiting();
    await deliver.awaiting();
    expect(provider.authorizations).toHaveLength(1);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['payment.authorized']);
  });

  it('asks nothing of the provider for an order cancelled before it was charged', async () => {
    const { deliver, payments, unitOfWork, orderId, provider, inbox } = setup();
    await deliver.cancelled();
    await deliver.awaiting();
    expect(provider.authorizations).toEqual([]);
    expect(payments.rows.has(orderId)).toBe(false);
    expect(unitOfWork.published).toEqual([]);
    expect(inbox.claimed.size).toBe(2);
  });

  it('gives the money back at once when the order is cancelled while the provider authorizes, and records it refunded', async () => {
    const { deliver, payments, unitOfWork, orderId, provider } = setup();
    // The cancellation is consumed while the authorization is with the provider: it finds no payment to refund.
    provider.during = () => deliver.cancelled();
    await deliver.awaiting();
    expect(payments.rows.get(orderId)).toMatchObject({ status: 'REFUNDED', refundReference: `sim_refund_${orderId}` });
    expect(provider.refunds).toEqual([expect.objectContaining({ orderId, reference: `sim_auth_${orderId}`, amountCents: 3000 })]);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['payment.authorized', 'payment.refunded']);
    // a late redelivery of either event changes nothing
    await deliver.cancelled();
    await deliver.awaiting();
    expect(provider.refunds).toHaveLength(1);
    expect(unitOfWork.published).toHaveLength(2);
  });
});
