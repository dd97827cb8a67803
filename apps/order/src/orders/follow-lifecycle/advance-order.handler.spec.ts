import { randomUUID } from 'node:crypto';
import { OrderEntity } from '@shop/order/domain';
import type { EventContext } from '@shop/platform/messaging';
import type { Envelope } from '@shop/shared/contracts';
import { counted, inMemoryOrders } from '../../../test/in-memory-orders';
import { AdvanceOrderHandler } from './advance-order.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
/** The event being consumed; the handler only names it in its logs. */
const EVENT = { id: randomUUID(), type: 'payment.authorized' } as Envelope;

function setup() {
  const world = inMemoryOrders();
  const handler = new AdvanceOrderHandler(world.orders, world.metrics);
  const order = OrderEntity.place({
    id: randomUUID(),
    customerId: 'ada',
    items: [{ productId: randomUUID(), name: 'Kettle', unitPriceCents: 1500, quantity: 2 }],
    currency: 'EUR',
    shippingAddress: ADDRESS,
    paymentToken: 'tok_visa',
    now: new Date(),
  });
  world.orders.rows.set(order.snapshot.id, structuredClone(order.snapshot));
  /** Consumes one event for `orderId` as the consumer does: in the unit of work of its batch. */
  const advance = (orderId: string, step: (o: OrderEntity, now: Date) => void) =>
    world.unitOfWork.run((tx) => handler.execute(EVENT, { tx } as EventContext, orderId, step));
  return { ...world, advance, id: order.snapshot.id };
}

describe('AdvanceOrderHandler', () => {
  it('moves the order one step and publishes the next event in the same unit', async () => {
    const { advance, id, orders, unitOfWork, registry } = setup();
    await advance(id, (o, now) => o.stockReserved(now));
    expect(orders.rows.get(id)).toMatchObject({ status: 'AWAITING_PAYMENT', version: 2 });
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'order.awaiting-payment', aggregateVersion: 2, data: expect.objectContaining({ orderId: id, amountCents: 3000, paymentToken: 'tok_visa' }) }),
    ]);
    await advance(id, (o, now) => o.paymentAuthorized(now));
    expect(orders.rows.get(id)).toMatchObject({ status: 'CONFIRMED', paymentToken: null });
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['order.awaiting-payment', 'order.confirmed']);
    expect(await counted(registry, 'confirmed')).toBe(1);
  });

  it('consumes and ignores an event that no longer applies (payment authorized after the customer cancelled)', async () => {
    const { advance, id, orders, unitOfWork } = setup();
    await advance(id, (o, now) => o.requestCancel(now));
    const cancelled = structuredClone(orders.rows.get(id));
    await expect(advance(id, (o, now) => o.paymentAuthorized(now))).resolves.toBeUndefined();
    expect(orders.rows.get(id)).toEqual(cancelled);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['order.cancelled']);
  });

  it('consumes and ignores an event for an order it does not know', async () => {
    const { advance, unitOfWork } = setup();
    await expect(advance(randomUUID(), (o, now) => o.stockReserved(now))).resolves.toBeUndefined();
    expect(unitOfWork.published).toEqual([]);
  });

  it('lets any other failure through, so the consumer retries the record, and keeps nothing of it', async () => {
    const { advance, id, orders, unitOfWork } = setup();
    await expect(
      advance(id, (o, now) => {
        o.stockReserved(now);
        throw new Error('the disk is full');
      }),
    ).rejects.toThrow('the disk is full');
    expect(orders.rows.get(id)?.status).toBe('PENDING');
    expect(unitOfWork.published).toEqual([]);
    expect(unitOfWork.rollbacks).toBe(1);
  });
});
