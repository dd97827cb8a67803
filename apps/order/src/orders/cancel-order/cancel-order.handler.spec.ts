import { randomUUID } from 'node:crypto';
import { OrderEntity } from '@shop/order/domain';
import { counted, inMemoryOrders } from '../../../test/in-memory-orders';
import { CancelOrderHandler } from './cancel-order.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryOrders();
  const handler = new CancelOrderHandler(world.unitOfWork.asUnitOfWork, world.orders, world.metrics);
  /** An order of Ada's, stored as it is after `steps`. */
  const stored = (...steps: Array<(o: OrderEntity, now: Date) => void>) => {
    const order = OrderEntity.place({
      id: randomUUID(),
      customerId: 'ada',
      items: [{ productId: randomUUID(), name: 'Kettle', unitPriceCents: 1500, quantity: 1 }],
      currency: 'EUR',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
      now: new Date(),
    });
    for (const step of steps) step(order, new Date());
    world.orders.rows.set(order.snapshot.id, structuredClone(order.snapshot));
    return order.snapshot.id;
  };
  const confirmed = () =>
    stored(
      (o, now) => o.stockReserved(now),
      (o, now) => o.paymentAuthorized(now),
    );
  return { ...world, handler, stored, confirmed };
}

describe('CancelOrderHandler', () => {
  it('cancels an order not yet confirmed at once, and publishes order.cancelled for the compensations', async () => {
    const { handler, stored, orders, unitOfWork, registry } = setup();
    const id = stored((o, now) => o.stockReserved(now));
    const view = await handler.execute('ada', id);
    expect(view).toMatchObject({ id, status: 'CANCELLED', cancelReason: 'CUSTOMER_REQUEST' });
    expect(orders.rows.get(id)).toMatchObject({ status: 'CANCELLED', paymentToken: null });
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'order.cancelled', data: expect.objectContaining({ orderId: id, reason: 'CUSTOMER_REQUEST', previousStatus: 'AWAITING_PAYMENT' }) }),
    ]);
    expect(await counted(registry, 'cancelled')).toBe(1);
  });

  it('asks the delivery service to decide for a confirmed order, once, however often the customer asks', async () => {
    const { handler, confirmed, orders, unitOfWork, registry } = setup();
    const id = confirmed();
    expect(await handler.execute('ada', id)).toMatchObject({ status: 'CONFIRMED' });
    await handler.execute('ada', id);
    expect(orders.rows.get(id)?.cancelRequestedAt).not.toBeNull();
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['order.cancel-requested']);
    expect(await counted(registry, 'cancelled')).toBe(0);
  });

  it("answers someone else's order as not found, and changes nothing", async () => {
    const { handler, stored, orders, unitOfWork } = setup();
    const id = stored();
    const before = structuredClone(orders.rows.get(id));
    await expect(handler.execute('grace', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(handler.execute('ada', randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(orders.rows.get(id)).toEqual(before);
    expect(unitOfWork.published).toEqual([]);
  });

  it('refuses a shipped order, and changes nothing', async () => {
    const { handler, stored, orders, unitOfWork } = setup();
    const id = stored(
      (o, now) => o.stockReserved(now),
      (o, now) => o.paymentAuthorized(now),
      (o, now) => o.dispatched(now),
    );
    await expect(handler.execute('ada', id)).rejects.toMatchObject({ code: 'NOT_CANCELLABLE' });
    expect(orders.rows.get(id)?.status).toBe('SHIPPED');
    expect(unitOfWork.published).toEqual([]);
  });
});
