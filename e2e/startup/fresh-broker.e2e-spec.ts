import { PrivateBroker } from '@shop/chaos';
import type { OrderView } from '@shop/shared/contracts';
import { eventually, TestPlatform } from '@shop/testing';
import { Api } from '../lifecycle/api';

/**
 * A newcomer's first start: the five services against a broker formatted a
 * moment ago, while it still elects its group coordinator. Consumers that
 * crash then (KafkaJSGroupCoordinatorNotFound) must come back by themselves,
 * and "ready" must mean it: an order placed the moment every service says so
 * is accepted and delivered. Three starts on three fresh brokers.
 */
describe('first start on a freshly formatted broker', () => {
  const lines: string[] = [];

  it.each([1, 2, 3])('accepts and delivers an order placed as soon as every service is ready (start %i)', async () => {
    const broker = await PrivateBroker.start((line) => lines.push(line));
    let platform: TestPlatform | undefined;
    try {
      // No wait after the broker's port opens: the services meet it while it is still settling.
      platform = await TestPlatform.start({
        apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
        brokers: broker.brokers,
        env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' } },
      });
      const api = new Api(platform);
      const product = await api.createProduct({ stock: 5 });
      // The order service learns the product from the catalog's event: within seconds, not never.
      const placed = await api.placeOrder('first-customer', [{ productId: product.id, quantity: 1 }]);
      expect(placed.status).toBe(202);
      const delivered = await eventually(async () => {
        const res = await api.call<OrderView>('order', 'GET', `/api/orders/${placed.body.id}`, { as: 'first-customer' });
        expect(res.body.status).toBe('DELIVERED');
        return res.body;
      }, 60_000);
      expect(delivered.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
      // Whatever crashed during the broker's first seconds came back: every service's status is ok, consumers included.
      for (const app of ['catalog', 'order', 'payment', 'delivery', 'review'] as const) {
        const status = await fetch(`${platform.url(app)}/health/status`);
        expect({ app, status: status.status }).toEqual({ app, status: 200 });
      }
    } finally {
      await platform?.stop();
      await broker.stop();
    }
  }, 240_000);
});
