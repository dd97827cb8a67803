import { PrivateBroker } from '@shop/chaos';
import { ServiceNames } from '@shop/shared/contracts';
import { eventually, TestPlatform } from '@shop/testing';
import { Api } from '../lifecycle/api';

const OUTAGE_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What the outbox is for: with the broker stopped for a minute under a steady
 * trickle of orders, every service stays ready (a load balancer keeps every
 * replica) and takes orders into its outbox; the status says what is wrong;
 * once the broker is back, every order accepted meanwhile is delivered.
 */
describe('a broker outage of a minute under load', () => {
  let broker: PrivateBroker;
  let platform: TestPlatform;
  let api: Api;

  beforeAll(async () => {
    broker = await PrivateBroker.start();
    platform = await TestPlatform.start({
      apps: [...ServiceNames],
      brokers: broker.brokers,
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' } },
    });
    api = new Api(platform);
  });

  afterAll(async () => {
    await platform?.stop();
    await broker?.stop();
  });

  it('keeps every service ready and accepting orders, then delivers every one of them', async () => {
    const product = await api.createProduct({ stock: 10_000 });
    const accepted: string[] = [];
    const place = async (i: number) => {
      const res = await api.placeOrder(`outage-${i % 5}`, [{ productId: product.id, quantity: 1 }]);
      expect(res.status).toBe(202);
      accepted.push(res.body.id);
    };
    for (let i = 0; i < 5; i++) await place(i);

    await broker.stop({ keepData: true });
    const unready: string[] = [];
    let statusSawTheOutage = false;
    const until = Date.now() + OUTAGE_MS;
    for (let i = 5; Date.now() < until; i++) {
      await place(i);
      if (i % 10 === 0) {
        for (const app of ServiceNames) {
          const ready = await fetch(`${platform.url(app)}/health/ready`);
          if (ready.status !== 200) unready.push(`${app}: ${ready.status} ${await ready.text()}`);
        }
        const status = await fetch(`${platform.url('order')}/health/status`);
        if (status.status === 503) statusSawTheOutage = true;
      }
      await sleep(250);
    }
    expect(unready).toEqual([]);
    expect(statusSawTheOutage).toBe(true);
    expect(accepted.length).toBeGreaterThan(100);

    await broker.restart();
    await eventually(async () => {
      const open: string[] = [];
      for (let i = 0; i < accepted.length; i++) {
        const order = await api.order(`outage-${i % 5}`, accepted[i]);
        if (order.status !== 'DELIVERED') open.push(`${order.id} ${order.status}`);
      }
      expect(open).toEqual([]);
    }, 180_000);
  }, 400_000);
});
