import { randomUUID } from 'node:crypto';
import type { PlaceOrderRequest } from '@shop/shared/contracts';
import { counted, inMemoryOrders } from '../../../test/in-memory-orders';
import { PlaceOrderHandler } from './place-order.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryOrders();
  const kettle = { productId: randomUUID(), sku: 'KETTLE', name: 'Kettle', priceCents: 1500, currency: 'EUR', productVersion: 3 };
  const mug = { productId: randomUUID(), sku: 'MUG', name: 'Mug', priceCents: 450, currency: 'EUR', productVersion: 1 };
  for (const p of [kettle, mug]) world.products.rows.set(p.productId, p);
  const handler = new PlaceOrderHandler(world.unitOfWork.asUnitOfWork, world.orders, world.products, world.keys, world.queries, world.metrics);
  const request = (items = [{ productId: kettle.productId, quantity: 2 }, { productId: mug.productId, quantity: 1 }]): PlaceOrderRequest => ({
    items,
    paymentToken: 'tok_visa',
    shippingAddress: ADDRESS,
  });
  return { ...world, handler, kettle, mug, request };
}

describe('PlaceOrderHandler', () => {
  it('places a PENDING order priced from its own product snapshot and publishes order.placed with it, in one unit', async () => {
    const { handler, request, unitOfWork, orders, registry, kettle } = setup();
    const view = await handler.execute('ada', request());
    expect(view).toMatchObject({ status: 'PENDING', customerId: 'ada', totalCents: 3450, currency: 'EUR' });
    expect(orders.rows.get(view.id)).toMatchObject({ status: 'PENDING', paymentToken: 'tok_visa', version: 1 });
    expect(unitOfWork.commits).toBe(1);
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({
        type: 'order.placed',
        source: 'order',
        aggregateId: view.id,
        aggregateVersion: 1,
        data: expect.objectContaining({ orderId: view.id, totalCents: 3450, items: expect.arrayContaining([{ productId: kettle.productId, quantity: 2, unitPriceCents: 1500 }]) }),
      }),
    ]);
    expect(unitOfWork.published[0].topic).toBe('order.orders.v1');
    expect(await counted(registry, 'placed')).toBe(1);
  });

  it('refuses an unknown product, naming the item, and changes nothing', async () => {
    const { handler, request, unitOfWork, orders, kettle } = setup();
    const unknown = randomUUID();
    await expect(handler.execute('ada', request([{ productId: kettle.productId, quantity: 1 }, { productId: unknown, quantity: 1 }]))).rejects.toMatchObject({
      code: 'UNKNOWN_PRODUCT',
      errors: [{ path: 'items.1.productId', message: 'no such product' }],
    });
    expect(orders.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('refuses items priced in two currencies', async () => {
    const { handler, request, products, kettle, orders } = setup();
    const dollars = { productId: randomUUID(), sku: 'USD', name: 'Dollar mug', priceCents: 500, currency: 'USD', productVersion: 1 };
    products.rows.set(dollars.productId, dollars);
    await expect(handler.execute('ada', request([{ productId: kettle.productId, quantity: 1 }, { productId: dollars.productId, quantity: 1 }]))).rejects.toMatchObject({
      code: 'MIXED_CURRENCIES',
    });
    expect(orders.rows.size).toBe(0);
  });

  it('answers a repeated Idempotency-Key with the first order, whatever the order of the keys in the body, and publishes once', async () => {
    const { handler, request, unitOfWork, orders, registry } = setup();
    const first = await handler.execute('ada', request(), 'key-1');
    const body = request();
    const reordered = { shippingAddress: body.shippingAddress, paymentToken: body.paymentToken, items: body.items };
    const again = await handler.execute('ada', reordered, 'key-1');
    expect(again.id).toBe(first.id);
    expect(orders.rows.size).toBe(1);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['order.placed']);
    expect(await counted(registry, 'placed')).toBe(1);
    // the key is the customer's: another customer's same key is another order
    expect((await handler.execute('grace', request(), 'key-1')).id).not.toBe(first.id);
  });

  it('refuses a key reused with another body, and changes nothing', async () => {
    const { handler, request, unitOfWork, orders, mug } = setup();
    await handler.execute('ada', request(), 'key-2');
    await expect(handler.execute('ada', request([{ productId: mug.productId, quantity: 5 }]), 'key-2')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(orders.rows.size).toBe(1);
    expect(unitOfWork.published).toHaveLength(1);
    expect(unitOfWork.rollbacks).toBe(1);
  });
});
