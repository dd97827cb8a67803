import { eventually, TestPlatform } from '@shop/testing';
import type { DeliveryView, OrderView, PaymentView } from '@shop/shared/contracts';
import { Api } from './api';

const ORDERS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A customer's cancel racing the courier's dispatch, a few milliseconds
 * apart in either order, on many orders at once. Each order must end with one
 * story: cancelled before its parcel left (delivery called off, payment
 * refunded, stock back), or shipped with the cancel too late (parcel gone,
 * charged once, the history says so). Before the delivery service decided
 * such races, most of these orders ended cancelled and refunded with their
 * parcel dispatched.
 */
describe('a cancel racing the dispatch (five services, real Postgres and Kafka)', () => {
  let platform: TestPlatform;
  let api: Api;

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '-1', DELIVERY_COMPLETE_DELAY_MS: '-1' } },
    });
    api = new Api(platform);
  });

  afterAll(() => platform?.stop());

  const customer = (i: number) => `racer-${i % 8}`;

  async function deliveryOf(i: number, orderId: string): Promise<DeliveryView> {
    return eventually(async () => {
      const res = await api.call<DeliveryView[]>('delivery', 'GET', `/api/deliveries?orderId=${orderId}`, { as: customer(i) });
      if (!res.body[0]) throw new Error(`no delivery yet for ${orderId}`);
      return res.body[0];
    });
  }

  it(`ends each of ${ORDERS} orders with one story: cancelled before the parcel left, or shipped and charged once`, async () => {
    const product = await api.createProduct({ stock: 1_000 });
    const orders: Array<{ id: string; deliveryId: string }> = [];
    for (let i = 0; i < ORDERS; i++) {
      const placed = await api.placeOrder(customer(i), [{ productId: product.id, quantity: 1 }]);
      orders.push({ id: placed.body.id, deliveryId: '' });
    }
    for (const [i, order] of orders.entries()) {
      await api.waitForStatus(customer(i), order.id, 'CONFIRMED');
      order.deliveryId = (await deliveryOf(i, order.id)).id;
    }

    const cancels = await Promise.all(
      orders.map(async (order, i) => {
        const advance = () => api.call('delivery', 'POST', `/api/admin/deliveries/${order.deliveryId}/advance`, { as: 'admin-1', role: 'admin' });
        const cancel = () => api.call<OrderView>('order', 'POST', `/api/orders/${order.id}/cancel`, { as: customer(i) });
        // Half cancel first, half dispatch first, a few milliseconds apart.
        const gap = (i * 7) % 20;
        const [first, second] = i % 2 ? [advance, cancel] : [cancel, advance];
        const results = await Promise.all([first(), sleep(gap).then(() => second())]);
        return (i % 2 ? results[1] : results[0]).status;
      }),
    );
    expect(cancels.every((status) => status === 202 || status === 409)).toBe(true);

    const stories = await Promise.all(
      orders.map((order, i) =>
        eventually(async () => {
          const o = await api.order(customer(i), order.id);
          if (o.status === 'CONFIRMED') throw new Error(`order ${o.id} still waits for the delivery service's decision`);
          return o;
        }, 60_000),
      ),
    );
    let cancelledOrders = 0;
    for (const [i, o] of stories.entries()) {
      const delivery = await deliveryOf(i, o.id);
      if (o.status === 'CANCELLED') {
        cancelledOrders++;
        expect({ order: o.id, delivery: delivery.status, outcome: o.cancellation?.outcome }).toEqual({ order: o.id, delivery: 'CANCELLED', outcome: 'ACCEPTED' });
        await eventually(async () => {
          const payments = (await api.call<PaymentView[]>('payment', 'GET', `/api/payments?orderId=${o.id}`, { as: customer(i) })).body;
          expect({ order: o.id, payments: payments.map((p) => p.status) }).toEqual({ order: o.id, payments: ['REFUNDED'] });
        });
      } else {
        expect({ order: o.id, status: o.status, delivery: delivery.status }).toEqual({ order: o.id, status: 'SHIPPED', delivery: 'DISPATCHED' });
        if (o.cancellation) {
          expect(o.cancellation.outcome).toBe('TOO_LATE');
          expect(o.history.at(-1)?.note).toMatch(/came too late: the parcel had left/);
        }
        const payments = (await api.call<PaymentView[]>('payment', 'GET', `/api/payments?orderId=${o.id}`, { as: customer(i) })).body;
        expect({ order: o.id, payments: payments.map((p) => p.status) }).toEqual({ order: o.id, payments: ['AUTHORIZED'] });
      }
    }
    // What left the warehouse is gone; every cancelled order's unit is back.
    await eventually(async () => expect(await api.stockOf(product.id)).toBe(1_000 - (ORDERS - cancelledOrders)));
  }, 300_000);
});
