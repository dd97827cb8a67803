import { PrivateBroker } from '@shop/chaos';
import type { OrderView } from '@shop/shared/contracts';
import { eventually, TestPlatform } from '@shop/testing';
import { Api } from '../lifecycle/api';

const SERVICES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;

/** The lines an app logged at WARN or above (the apps run at LOG_LEVEL=warn here), and any line that is not the JSON log. */
function warningsAndErrors(platform: TestPlatform): string[] {
  return SERVICES.flatMap((app) =>
    platform
      .logs(app)
      .split('\n')
      .filter((line) => line.trim())
      .filter((line) => {
        try {
          return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40;
        } catch {
          return true;
        }
      })
      .map((line) => `${app}: ${line}`),
  );
}

/**
 * A newcomer's first start: the five services against a broker formatted a
 * moment ago, while it still elects its group coordinator. Consumers must not
 * crash on it, "ready" must mean it (an order placed the moment every service
 * says so is accepted and delivered), and the log must tell the truth: nothing
 * is wrong, so no WARN or ERROR line, while a broker that goes away still
 * shows. Three starts on three fresh brokers.
 */
describe('first start on a freshly formatted broker', () => {
  const lines: string[] = [];

  it.each([1, 2, 3])('accepts and delivers an order placed as soon as every service is ready (start %i)', async (start) => {
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
      for (const app of SERVICES) {
        const status = await fetch(`${platform.url(app)}/health/status`);
        expect({ app, status: status.status }).toEqual({ app, status: 200 });
      }
      // The broker's first seconds (topics created by several services at once, the group coordinator loading) are
      // expected and handled: a healthy start logs no warning and no error.
      expect(warningsAndErrors(platform)).toEqual([]);
      if (start === 3) {
        // A real failure still stands out: the broker gone, the services say so.
        const running = platform;
        await broker.kill();
        await eventually(async () => expect(warningsAndErrors(running).length).toBeGreaterThan(0), 60_000);
      }
    } finally {
      await platform?.stop();
      await broker.stop();
    }
  }, 240_000);
});
