import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrderView, PaymentView } from '@shop/shared/contracts';
import { gatewayReleases, InstanceSupervisor, runCanaryRelease } from '@shop/platform/release';
import { AppProcess, eventually, TestPlatform, tokenFor, workspaceRoot } from '@shop/testing';
import { call } from '../gateway/gateway-process';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/**
 * A canary release on the local platform, as `npm run release -- canary
 * payment` runs one (the same orchestrator and confidence check; the
 * platform's processes stand in for npm start's): while customers keep
 * ordering through the gateway, a faulty build of the payment service (it
 * fails half its authorisations: the demonstration switch) joins the stable
 * one, takes half the gateway's calls and a share of the partitions, and is
 * rolled back on its own; then a good build is judged and promoted on its
 * own. Every order placed meanwhile ends confirmed, with exactly one payment.
 */
describe('canary releases of the payment service (local platform, real processes)', () => {
  // Long enough retry tiers that nothing reaches a dead letter while a faulty canary is being judged.
  const PAYMENT_ENV = { RETRY_DELAYS_MS: '500,5000,30000' };
  const built = readFileSync(join(workspaceRoot(), 'dist', 'deploy', 'payment', 'VERSION'), 'utf8').trim();
  const release = (suffix: string) => `${built}-${suffix}`;
  let platform: TestPlatform;
  let gateway: AppProcess;
  let admin: string;
  let customer: string;
  let productId: string;
  const placed: string[] = [];
  let loading = true;
  let load: Promise<void>;
  const seen = { canaryLabelled: false, calls: 0 };

  /** The platform's processes as the release's supervisor: a second payment process is the canary. */
  const supervisorFor = (canaryEnv: Record<string, string>, version: string): InstanceSupervisor => {
    let canary: AppProcess | undefined;
    return {
      stableUrl: async () => platform.url('payment'),
      startCanary: async () => {
        canary = await platform.startInstance('payment', { ...canaryEnv, OTEL_RESOURCE_ATTRIBUTES: `service.version=${version},release.track=canary` });
        seen.canaryLabelled = (await (await fetch(`${canary.url}/metrics`)).text()).includes(`version="${version}",track="canary"`);
        return canary.url;
      },
      stopCanary: async () => {
        if (canary) await platform.stopInstance(canary);
        canary = undefined;
      },
      promote: async () => {
        platform.setEnv('payment', { ...canaryEnv, OTEL_RESOURCE_ATTRIBUTES: `service.version=${version},release.track=stable` });
        await platform.stopApp('payment');
        await platform.startApp('payment');
      },
    };
  };
  const releases = () => gatewayReleases(gateway.url, () => tokenFor('release-tool', 'admin'));
  const releaseView = async () =>
    (await call<{ releases: Array<{ upstream: string; canary: unknown; report: { phase: string; verdict?: string } | null }> }>(gateway.url, 'GET', '/api/admin/releases', { token: admin })).body.releases.find(
      (r) => r.upstream === 'payment',
    );

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment'],
      env: { payment: { ...PAYMENT_ENV, OTEL_RESOURCE_ATTRIBUTES: `service.version=${built},release.track=stable` } },
    });
    gateway = await AppProcess.start('api-gateway', { env: platform.gatewayEnv() });
    admin = await tokenFor('ops', 'admin');
    customer = await tokenFor('canary-customer');
    const product = await call<{ id: string }>(gateway.url, 'POST', '/api/products', {
      token: admin,
      body: { sku: `CANARY-${Date.now()}`, name: 'Canary mug', priceCents: 1200, currency: 'EUR', stock: 100_000 },
    });
    productId = product.body.id;
    // The order service learns the product from the catalog's event first.
    await eventually(async () => {
      const res = await call<OrderView>(gateway.url, 'POST', '/api/orders', { token: customer, body: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS } });
      if (res.status !== 202) throw new Error(`not accepted yet: ${res.status}`);
      placed.push(res.body.id);
    }, 30_000);
    // Customers keep ordering, and keep looking at their payments (the gateway's calls to the payment service).
    load = (async () => {
      while (loading) {
        const res = await call<OrderView>(gateway.url, 'POST', '/api/orders', { token: customer, body: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS } });
        if (res.status === 202) placed.push(res.body.id);
        for (const id of placed.slice(-3)) {
          await call(gateway.url, 'GET', `/api/payments?orderId=${id}`, { token: customer });
          seen.calls++;
        }
        // A customer's pace, not a flood: the release is judged on ordinary traffic.
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
  }, 180_000);

  afterAll(async () => {
    loading = false;
    await load;
    await gateway?.stop();
    await platform?.stop();
  }, 120_000);

  it('rolls back, on its own and while customers order, a build that fails a share of its authorisations', async () => {
    const started = Date.now();
    const outcome = await runCanaryRelease({
      service: 'payment',
      version: release('faulty'),
      stableVersion: built,
      supervisor: supervisorFor({ ...PAYMENT_ENV, PAYMENT_FAULTY_RELEASE_PERCENT: '50' }, release('faulty')),
      gateway: releases(),
      weight: 50,
      windowMs: 60_000,
      pollMs: 1_000,
    });
    expect(outcome.verdict).toBe('rollback');
    expect(outcome.reasons).toEqual([expect.stringMatching(/^records sent to retry: canary \d+\.\d% of \d+, stable \d+\.\d% of \d+/)]);
    // Stopped as soon as it showed, well before its window was over.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(seen.canaryLabelled).toBe(true);
    expect(await releaseView()).toMatchObject({ canary: null, report: { phase: 'rolled-back', verdict: 'rollback' } });
  });

  it('promotes, on its own, a good build that has taken its share of the traffic for the window', async () => {
    const outcome = await runCanaryRelease({
      service: 'payment',
      version: release('next'),
      stableVersion: built,
      supervisor: supervisorFor(PAYMENT_ENV, release('next')),
      gateway: releases(),
      weight: 50,
      windowMs: 25_000,
      pollMs: 1_000,
    });
    expect(outcome).toMatchObject({ verdict: 'promote', reasons: [expect.stringMatching(/^no signal worse than the stable version's over 25 s; judged on .*records sent to retry/)] });
    expect(await releaseView()).toMatchObject({ canary: null, report: { phase: 'promoted', verdict: 'promote' } });
    // The stable instance is the new build now, and says so in its metrics.
    expect(await (await fetch(`${platform.url('payment')}/metrics`)).text()).toContain(`version="${release('next')}",track="stable"`);
  });

  it('lost no order and charged none twice through either release', async () => {
    loading = false;
    await load;
    expect(placed.length).toBeGreaterThan(50);
    expect(seen.calls).toBeGreaterThan(100);
    // A record the faulty build failed waits in a retry tier (up to 30 s) before the stable instance takes it.
    await eventually(
      async () => {
        for (const id of placed) {
          const order = await call<OrderView>(gateway.url, 'GET', `/api/orders/${id}`, { token: customer });
          expect([id, order.body.status]).toEqual([id, 'CONFIRMED']);
        }
      },
      90_000,
      1_000,
    );
    // Nothing left in a retry tier or an outbox either: a second authorisation still on its way is counted below.
    await platform.settled({ timeoutMs: 60_000 });
    for (const id of placed) {
      const payments = await call<PaymentView[]>(gateway.url, 'GET', `/api/payments?orderId=${id}`, { token: customer });
      expect([id, payments.body.map((p) => p.status)]).toEqual([id, ['AUTHORIZED']]);
    }
    const dead = await call<{ items: unknown[] }>(gateway.url, 'GET', '/api/admin/dlq?service=payment', { token: admin });
    expect(dead.body.items).toEqual([]);
  }, 180_000);
});
