import { Client } from 'pg';
import { eventually, TestPlatform } from '@shop/testing';
import type { DeliveryView, OrderView, PaymentView, ReviewView } from '@shop/shared/contracts';
import { Api, counts } from './api';

/**
 * The order lifecycle across the five services, as real processes on the
 * real Postgres and Kafka (docs/contract.md). The courier is driven by the
 * admin advance route (delays -1), so each test decides when a parcel leaves.
 */
describe('order lifecycle (five services, real Postgres and Kafka)', () => {
  let platform: TestPlatform;
  let api: Api;

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: {
        delivery: { DELIVERY_DISPATCH_DELAY_MS: '-1', DELIVERY_COMPLETE_DELAY_MS: '-1' },
        // The waiting room is e2e/waiting-room's to test: here 50 racing orders on a busy machine must not open it,
        // or the next checkout is answered with a ticket instead of its order.
        order: { WAITING_ROOM_TARGET_MS: '600000' },
      },
    });
    api = new Api(platform);
  });

  afterAll(() => platform?.stop());

  async function deliveryOf(customer: string, orderId: string): Promise<DeliveryView> {
    return eventually(async () => {
      const res = await api.call<DeliveryView[]>('delivery', 'GET', `/api/deliveries?orderId=${orderId}`, { as: customer });
      if (res.status !== 200 || !res.body[0]) throw new Error(`no delivery yet for ${orderId}`);
      return res.body[0];
    });
  }

  async function advance(deliveryId: string): Promise<number> {
    return (await api.call('delivery', 'POST', `/api/admin/deliveries/${deliveryId}/advance`, { as: 'admin-1', role: 'admin' })).status;
  }

  async function paymentsOf(customer: string, orderId: string): Promise<PaymentView[]> {
    return (await api.call<PaymentView[]>('payment', 'GET', `/api/payments?orderId=${orderId}`, { as: customer })).body;
  }

  it('takes an order from PENDING to DELIVERED, then accepts a review that moves the rating', async () => {
    const kettle = await api.createProduct({ name: 'Kettle', priceCents: 4999, stock: 10 });
    const mug = await api.createProduct({ name: 'Mug', priceCents: 900, stock: 10 });
    const placed = await api.placeOrder('alice', [
      { productId: kettle.id, quantity: 2 },
      { productId: mug.id, quantity: 3 },
    ]);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('location')).toBe(`/api/orders/${placed.body.id}`);
    expect(placed.body).toMatchObject({ status: 'PENDING', customerId: 'alice', totalCents: 2 * 4999 + 3 * 900, currency: 'EUR' });
    expect(placed.body.items).toEqual(
      expect.arrayContaining([
        { productId: kettle.id, name: 'Kettle', unitPriceCents: 4999, quantity: 2 },
        { productId: mug.id, name: 'Mug', unitPriceCents: 900, quantity: 3 },
      ]),
    );
    const orderId = placed.body.id;

    await api.waitForStatus('alice', orderId, 'CONFIRMED');
    expect(await paymentsOf('alice', orderId)).toEqual([expect.objectContaining({ status: 'AUTHORIZED', amountCents: 12698, currency: 'EUR' })]);
    expect([await api.stockOf(kettle.id), await api.stockOf(mug.id)]).toEqual([8, 7]);

    const delivery = await deliveryOf('alice', orderId);
    expect(delivery.status).toBe('SCHEDULED');
    expect(await advance(delivery.id)).toBe(200);
    await api.waitForStatus('alice', orderId, 'SHIPPED');
    expect(await advance(delivery.id)).toBe(200);
    const delivered = await api.waitForStatus('alice', orderId, 'DELIVERED');
    expect(delivered.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    const times = delivered.history.map((h) => Date.parse(h.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const review = await eventually(async () => {
      const res = await api.call<ReviewView>('review', 'POST', `/api/products/${kettle.id}/reviews`, {
        as: 'alice',
        body: { orderId, rating: 4, comment: 'Boils fast' },
      });
      if (res.status === 403) throw new Error('the review grant has not arrived yet');
      return res;
    });
    expect(review.status).toBe(201);
    await eventually(async () => {
      const product = (await api.call<{ rating: unknown }>('catalog', 'GET', `/api/products/${kettle.id}`)).body;
      expect(product.rating).toEqual({ average: 4, count: 1 });
    });
  });

  it('cancels PAYMENT_DECLINED for a declined token and restores the stock exactly', async () => {
    const product = await api.createProduct({ stock: 5 });
    const placed = await api.placeOrder('bob', [{ productId: product.id, quantity: 3 }], { token: 'tok_decline_insufficient_funds' });
    const order = await api.waitForStatus('bob', placed.body.id, 'CANCELLED');
    expect(order.cancelReason).toBe('PAYMENT_DECLINED');
    expect(order.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CANCELLED']);
    expect(await paymentsOf('bob', order.id)).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
    await eventually(async () => expect(await api.stockOf(product.id)).toBe(5));
  });

  it('cancels OUT_OF_STOCK when one item lacks stock, taking nothing from any item', async () => {
    const plenty = await api.createProduct({ stock: 10 });
    const scarce = await api.createProduct({ stock: 2 });
    const placed = await api.placeOrder('carol', [
      { productId: plenty.id, quantity: 4 },
      { productId: scarce.id, quantity: 3 },
    ]);
    const order = await api.waitForStatus('carol', placed.body.id, 'CANCELLED');
    expect(order.cancelReason).toBe('OUT_OF_STOCK');
    expect([await api.stockOf(plenty.id), await api.stockOf(scarce.id)]).toEqual([10, 2]);
    expect(await paymentsOf('carol', order.id)).toEqual([]);
  });

  it('lets the customer cancel before dispatch (refund, stock back) and refuses it after dispatch with 409', async () => {
    const product = await api.createProduct({ stock: 6 });
    const first = await api.placeOrder('dave', [{ productId: product.id, quantity: 2 }]);
    await api.waitForStatus('dave', first.body.id, 'CONFIRMED');
    const cancelled = await api.call<OrderView>('order', 'POST', `/api/orders/${first.body.id}/cancel`, { as: 'dave' });
    expect(cancelled.status).toBe(202);
    // Confirmed: its parcel could be leaving, so the delivery service decides; the answer says it is pending.
    expect(cancelled.body).toMatchObject({ status: 'CONFIRMED', cancellation: { outcome: 'PENDING' } });
    const settled = await api.waitForStatus('dave', first.body.id, 'CANCELLED');
    expect(settled).toMatchObject({ cancelReason: 'CUSTOMER_REQUEST', cancellation: { outcome: 'ACCEPTED' } });
    expect(settled.history.at(-1)).toMatchObject({ status: 'CANCELLED', note: 'cancelled before the parcel left' });
    await eventually(async () => expect(await paymentsOf('dave', first.body.id)).toEqual([expect.objectContaining({ status: 'REFUNDED' })]));
    await eventually(async () => expect(await api.stockOf(product.id)).toBe(6));
    await eventually(async () => expect((await deliveryOf('dave', first.body.id)).status).toBe('CANCELLED'));
    expect((await api.call('order', 'POST', `/api/orders/${first.body.id}/cancel`, { as: 'dave' })).status).toBe(409);

    const second = await api.placeOrder('dave', [{ productId: product.id, quantity: 1 }]);
    await api.waitForStatus('dave', second.body.id, 'CONFIRMED');
    expect(await advance((await deliveryOf('dave', second.body.id)).id)).toBe(200);
    await api.waitForStatus('dave', second.body.id, 'SHIPPED');
    const refused = await api.call<{ status: number; detail: string }>('order', 'POST', `/api/orders/${second.body.id}/cancel`, { as: 'dave' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain('shipped');
    expect(await paymentsOf('dave', second.body.id)).toEqual([expect.objectContaining({ status: 'AUTHORIZED' })]);
    // Someone else cannot cancel (or even see) it.
    expect((await api.call('order', 'POST', `/api/orders/${second.body.id}/cancel`, { as: 'mallory' })).status).toBe(404);
  });

  it('refuses reviews before delivery, for someone else’s order, and twice', async () => {
    const product = await api.createProduct({ stock: 5 });
    const placed = await api.placeOrder('erin', [{ productId: product.id, quantity: 1 }]);
    await api.waitForStatus('erin', placed.body.id, 'CONFIRMED');
    const review = (as: string) =>
      api.call('review', 'POST', `/api/products/${product.id}/reviews`, { as, body: { orderId: placed.body.id, rating: 5 } });
    expect((await review('erin')).status).toBe(403); // not delivered yet
    const delivery = await deliveryOf('erin', placed.body.id);
    await advance(delivery.id);
    await api.waitForStatus('erin', placed.body.id, 'SHIPPED');
    await advance(delivery.id);
    await api.waitForStatus('erin', placed.body.id, 'DELIVERED');
    await eventually(async () => expect((await review('erin')).status).toBe(201));
    expect((await review('erin')).status).toBe(409);
    expect((await review('frank')).status).toBe(403);
  });

  it('honours Idempotency-Key: the same key and body give one order, another body gets 422', async () => {
    const product = await api.createProduct({ stock: 5 });
    const key = `key-${Date.now()}`;
    const first = await api.placeOrder('gina', [{ productId: product.id, quantity: 1 }], { idempotencyKey: key });
    const again = await api.placeOrder('gina', [{ productId: product.id, quantity: 1 }], { idempotencyKey: key });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await api.placeOrder('gina', [{ productId: product.id, quantity: 2 }], { idempotencyKey: key });
    expect(other.status).toBe(422);
    const mine = await api.call<{ items: OrderView[] }>('order', 'GET', '/api/orders', { as: 'gina' });
    expect(mine.body.items.map((o) => o.id)).toEqual([first.body.id]);
    await api.waitForStatus('gina', first.body.id, 'CONFIRMED');
    expect(await api.stockOf(product.id)).toBe(4);
  });

  it('accepts orders while the catalog is down and completes them once it is back', async () => {
    const product = await api.createProduct({ stock: 5 });
    await api.placeOrder('hank', [{ productId: product.id, quantity: 1 }]); // the snapshot has it now
    await platform.stopApp('catalog');
    const placed = await api.placeOrder('hank', [{ productId: product.id, quantity: 2 }]);
    expect(placed.status).toBe(202);
    // Everything but the stopped catalog has done what it could with the order: without the catalog, nothing moves it.
    await platform.settled({ ignoring: ['catalog'] });
    expect((await api.order('hank', placed.body.id)).status).toBe('PENDING');
    await platform.startApp('catalog');
    await api.waitForStatus('hank', placed.body.id, 'CONFIRMED');
    await eventually(async () => expect(await api.stockOf(product.id)).toBe(2));
  });

  it('lets exactly 10 of 50 racing orders take the last 10 units; stock never goes negative', async () => {
    const product = await api.createProduct({ stock: 10 });
    await api.placeOrder('warmup', [{ productId: product.id, quantity: 100 }]); // learns the product; rejected OUT_OF_STOCK
    const placed = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api.placeOrder(`racer-${i}`, [{ productId: product.id, quantity: 1 }])),
    );
    expect(placed.every((p) => p.status === 202)).toBe(true);
    const final = await Promise.all(
      placed.map((p, i) =>
        eventually(async () => {
          const order = await api.order(`racer-${i}`, p.body.id);
          if (order.status === 'PENDING' || order.status === 'AWAITING_PAYMENT') throw new Error('not decided yet');
          return order;
        }, 60_000),
      ),
    );
    expect(final.filter((o) => o.status === 'CONFIRMED')).toHaveLength(10);
    expect(final.filter((o) => o.status === 'CANCELLED' && o.cancelReason === 'OUT_OF_STOCK')).toHaveLength(40);
    expect(await api.stockOf(product.id)).toBe(0);
  });

  it('changes nothing when every event is delivered a second time', async () => {
    const product = await api.createProduct({ stock: 20 });
    const placed = await api.placeOrder('ivan', [{ productId: product.id, quantity: 3 }]);
    await api.waitForStatus('ivan', placed.body.id, 'CONFIRMED');
    await deliveryOf('ivan', placed.body.id);
    await platform.settled();
    const before = await counts(platform);
    // Every service republishes its whole outbox with the original event ids.
    for (const service of ['catalog', 'order', 'payment', 'delivery', 'review'] as const) {
      const client = new Client({ connectionString: platform.db.urlFor(service) });
      await client.connect();
      await client.query('update outbox set published_at = null');
      await client.end();
    }
    // Every copy published and consumed, retry tiers included: what they changed, if anything, is there to see.
    await platform.settled();
    const after = await counts(platform);
    expect(after).toEqual(before);
    expect(await api.stockOf(product.id)).toBe(17);
    expect((await api.order('ivan', placed.body.id)).history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
  });

  it('answers bad input on every write route with a 4xx problem and writes nothing', async () => {
    const product = await api.createProduct({ stock: 5 });
    await api.placeOrder('warm', [{ productId: product.id, quantity: 1 }]);
    const good = { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'E' } };
    const bad: Array<[string, unknown, number]> = [
      ['missing items', { ...good, items: undefined }, 400],
      ['empty items', { ...good, items: [] }, 400],
      ['zero quantity', { ...good, items: [{ productId: product.id, quantity: 0 }] }, 400],
      ['negative quantity', { ...good, items: [{ productId: product.id, quantity: -1 }] }, 400],
      ['fractional quantity', { ...good, items: [{ productId: product.id, quantity: 1.5 }] }, 400],
      ['huge quantity', { ...good, items: [{ productId: product.id, quantity: 1e20 }] }, 400],
      ['quantity as string', { ...good, items: [{ productId: product.id, quantity: '1' }] }, 400],
      ['product id not a uuid', { ...good, items: [{ productId: 'p1', quantity: 1 }] }, 400],
      ['unknown product', { ...good, items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }, 422],
      ['unknown field', { ...good, coupon: 'FREE' }, 400],
      ['missing address', { ...good, shippingAddress: undefined }, 400],
      ['empty token', { ...good, paymentToken: '' }, 400],
      ['not an object', [1, 2], 400],
    ];
    for (const [what, body, status] of bad) {
      const res = await api.call<{ status: number; title: string; detail: string }>('order', 'POST', '/api/orders', { as: 'nobody', body });
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    }
    const notJson = await api.call('order', 'POST', '/api/orders', { as: 'nobody', raw: '{"items": [' });
    expect(notJson.status).toBe(400);
    const huge = await api.call('order', 'POST', '/api/orders', { as: 'nobody', raw: JSON.stringify({ ...good, pad: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect((await api.call('order', 'POST', '/api/orders', { body: good })).status).toBe(401);
    expect((await api.call('order', 'POST', '/api/orders', { as: 'root', role: 'admin', body: good })).status).toBe(403);
    const mine = await api.call<{ items: unknown[] }>('order', 'GET', '/api/orders', { as: 'nobody' });
    expect(mine.body.items).toEqual([]);
    expect(await api.stockOf(product.id)).toBe(4);
  });
});
