import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { Topics } from '@shop/shared/contracts';
import { AppProcess, eventually, freePort, TestPlatform, TestPrometheus, TestZipkin, tokenFor, workspaceRoot } from '@shop/testing';
import { startGateway } from '../gateway/gateway-process';
import { StorefrontBrowser } from './storefront-browser';

/** What the scripts run inside the page touch (page.evaluate): the root tsconfig has no DOM types. */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
}
declare const document: {
  documentElement: { scrollWidth: number };
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<PageImage>;
};
declare const window: { innerWidth: number };

const SHOTS = join(workspaceRoot(), '.local', 'screenshots', 'console');
/** The README's pictures, refreshed by this test (JPEG, the browser's viewport: each well under 300 KB). */
const DOC_IMAGES = join(workspaceRoot(), 'docs', 'images');
const SERVICES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;
const CHARTS = ['orders', 'to-confirmed', 'to-delivered', 'consumer-lag', 'outbox-backlog', 'dead-letters', 'breakers'];
const DEMO_LOADER = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.main.js');
const ADDRESS = { 'Full name': 'Grace Hopper', 'Street address': '1 Harvard Way', City: 'Cambridge', 'Postal code': '02138', Country: 'United States' };

/**
 * A newcomer's first visit and an operator's console, in headless Chromium
 * in front of the whole platform (five services on real Postgres and Kafka,
 * the gateway, the storefront's server), traced into Zipkin and scraped by
 * Prometheus as `npm start` runs them, the demo catalog loaded as `npm start`
 * loads it. The courier never moves by itself (delays -1): the operator moves
 * it from the console.
 */
describe('a first visit and the operator console in a real browser (whole platform behind it)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let storefront: AppProcess;
  let browser: StorefrontBrowser;
  let shop: Page;
  let console_: Page;
  let producer: Producer;
  let zipkin: TestZipkin;
  let prometheus: TestPrometheus;
  let orderId: string;
  const customer = `grace-${randomUUID().slice(0, 8)}`;

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${storefront.url}${path}`);
    await page.locator('h1').first().waitFor();
  }

  /** Waits until the element with that test id (inside `scope`, a CSS selector) reads exactly `text`. */
  async function waitForText(page: Page, selector: string, text: string, timeout = 30_000): Promise<void> {
    await page.waitForFunction(([sel, expected]) => document.querySelector(sel)?.textContent === expected, [selector, text], { timeout });
  }

  async function fits(page: Page): Promise<boolean> {
    return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }

  /** A full-page screenshot of `page` (the browser helper shoots its own page only). */
  let shots = 0;
  async function shot(page: Page, name: string): Promise<void> {
    shots++;
    await page.screenshot({ path: join(SHOTS, `${String(shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  /** One of the README's pictures (docs/images), of what the page shows now. */
  async function docImage(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(DOC_IMAGES, `${name}.jpg`), type: 'jpeg', quality: 70 });
  }

  /** Clicks an operator action's button, then Confirm; returns the result line shown in `resultScope`. */
  async function confirm(scope: ReturnType<Page['locator']>, name: string, resultScope = scope): Promise<string> {
    await scope.getByRole('button', { name, exact: true }).click();
    const asking = scope.getByRole('group', { name: `Confirm: ${name}`, exact: true });
    await asking.getByRole('button', { name: 'Confirm' }).click();
    // The question goes away once the action has answered, its result set in the same render.
    await asking.waitFor({ state: 'detached', timeout: 30_000 });
    return (await resultScope.getByTestId('action-result').first().textContent()) ?? '';
  }

  beforeAll(async () => {
    StorefrontBrowser.requireChromium();
    const pages = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'public', 'index.html');
    if (!existsSync(pages) || !existsSync(DEMO_LOADER)) throw new Error('dist is missing the storefront; run npm run build (npm test does)');
    zipkin = await TestZipkin.start();
    platform = await TestPlatform.start({
      apps: [...SERVICES],
      env: {
        ...Object.fromEntries(SERVICES.map((app) => [app, zipkin.appEnv])),
        delivery: { ...zipkin.appEnv, DELIVERY_DISPATCH_DELAY_MS: '-1', DELIVERY_COMPLETE_DELAY_MS: '-1' },
      },
    });
    const metricsPort = await freePort();
    const storefrontPort = await freePort();
    prometheus = await TestPrometheus.start([
      ...SERVICES.map((app) => ({ job: app, address: new URL(platform.url(app)).host })),
      { job: 'api-gateway', address: `127.0.0.1:${metricsPort}` },
      { job: 'storefront', address: `127.0.0.1:${storefrontPort}` },
    ]);
    gateway = await startGateway({
      ...platform.gatewayEnv(),
      ...zipkin.appEnv,
      METRICS_PORT: String(metricsPort),
      PROMETHEUS_URL: prometheus.url,
      AUTH_DEMO_ISSUER: 'true',
      UPSTREAM_READ_TIMEOUT_FLOOR_MS: '150',
      UPSTREAM_READ_TIMEOUT_MS: '1000',
      // The console's reads of dead letters and lag take the write deadline (they read Kafka): a frozen service costs 3 s a call.
      UPSTREAM_WRITE_TIMEOUT_MS: '3000',
      BREAKER_CONSECUTIVE_FAILURES: '3',
      BREAKER_RESET_TIMEOUT_MS: '1000',
    });
    storefront = await AppProcess.start('storefront', { port: storefrontPort, env: { GATEWAY_URL: gateway.url, TRACE_UI_URL: `${zipkin.url}/zipkin/`, ...zipkin.appEnv } });
    // As npm start does once everything is ready.
    const loaded = spawnSync(process.execPath, [DEMO_LOADER, gateway.url], { encoding: 'utf8', timeout: 60_000 });
    if (loaded.status !== 0) throw new Error(`demo catalog: ${loaded.stderr}`);
    // The order service takes orders against its own snapshot, fed by catalog events: wait until it knows them all.
    const db = new Client({ connectionString: platform.db.urlFor('order') });
    await db.connect();
    try {
      await eventually(async () => {
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from product_snapshots');
        if (rows[0].n !== 16) throw new Error(`order service knows ${rows[0].n} of 16 products`);
      }, 30_000);
    } finally {
      await db.end();
    }
    producer = platform.kafka.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    browser = await StorefrontBrowser.launch(SHOTS);
    shop = browser.page;
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect();
    await browser?.close();
    await storefront?.stop();
    await gateway?.stop();
    await platform?.stop();
    await prometheus?.stop();
    await zipkin?.stop();
  });

  it('opens on the demo catalog: products with pictures and categories, newest first', async () => {
    await open(shop, '/');
    await shop.getByTestId('product-card').nth(15).waitFor();
    expect(await shop.getByTestId('product-card').count()).toBe(16);
    expect((await shop.locator('.product-name').allTextContents()).slice(0, 3)).toEqual(['Wall Clock', 'Ceramic Vase', 'Wool Blanket']);
    expect(new Set(await shop.getByTestId('product-category').allTextContents())).toEqual(new Set(['Kitchen', 'Tea and coffee', 'Desk', 'Home']));
    // Every picture arrived from the storefront and decoded (an SVG that failed has no natural width).
    await shop.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="product-picture"]')).every((img) => img.complete && img.naturalWidth > 0));
    expect(await shop.getByTestId('product-picture').count()).toBe(16);
    await shot(shop, 'desktop-home');
    await docImage(shop, 'shop');
    await shop.setViewportSize({ width: 375, height: 812 });
    expect(await fits(shop)).toBe(true);
    await shot(shop, 'phone-home');
    await shop.setViewportSize({ width: 1280, height: 900 });
  });

  it('buys something: the order page tells its story as it moves, the courier advanced from the console, to DELIVERED', async () => {
    await shop.getByRole('button', { name: 'Add Wall Clock to cart' }).click();
    await shop.getByText('Added Wall Clock to your cart').waitFor();
    await shop.getByRole('link', { name: 'Cart (1)' }).click();
    await shop.getByRole('link', { name: 'Go to checkout' }).click();
    await shop.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    // Checkout asks a newcomer to sign in first, and keeps the cart.
    await shop.getByLabel('Your name or customer id').fill(customer);
    await shop.getByRole('button', { name: 'Sign in' }).click();
    await shop.getByLabel('Payment token').waitFor();
    for (const [label, value] of Object.entries(ADDRESS)) await shop.getByLabel(label, { exact: true }).fill(value);
    await shop.getByLabel('Payment token').fill('tok_visa');
    await shop.getByRole('button', { name: /^Place order/ }).click();
    await shop.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    orderId = shop.url().split('/').pop() ?? '';

    // The courier waits for the operator: the order stops at Confirmed, each step with its time.
    await waitForText(shop, '[data-testid="order-status"]', 'Confirmed');
    await waitForText(shop, '[data-testid="payment-status"]', 'Paid · €49.00');
    const steps = await shop.getByTestId('timeline-step').allTextContents();
    expect(steps.map((s) => s.split(/\d/)[0].trim())).toEqual(['Placed', 'Awaiting payment', 'Confirmed']);
    expect(steps.every((s) => /\d{1,2}:\d{2}/.test(s))).toBe(true);
    await shot(shop, 'order-confirmed');

    // The operator, in a second tab of the same browser.
    console_ = await shop.context().newPage();
    await open(console_, '/admin');
    await console_.getByLabel('Operator name').fill('ops-grace');
    await console_.getByRole('button', { name: 'Sign in as operator' }).click();
    await console_.getByTestId('operator').waitFor();
    // Signing in as an operator leaves the customer's session alone.
    expect(await console_.getByTestId('signed-in-as').textContent()).toBe(customer);

    const courier = console_.locator('.card', { has: console_.getByRole('heading', { name: 'Courier' }) });
    await courier.getByLabel('Order id').fill(orderId);
    await courier.getByRole('button', { name: 'Find its delivery' }).click();
    await waitForText(console_, '[data-testid="courier-delivery-status"]', 'SCHEDULED');
    expect(await confirm(courier, 'Advance the delivery')).toMatch(/is now DISPATCHED\.$/);
    await waitForText(shop, '[data-testid="order-status"]', 'Shipped');
    expect(await confirm(courier, 'Advance the delivery')).toMatch(/is now DELIVERED\.$/);
    await shot(console_, 'console-courier');

    // The customer's page, left open, follows by itself.
    await waitForText(shop, '[data-testid="order-status"]', 'Delivered');
    await waitForText(shop, '[data-testid="delivery-status"]', 'Delivered');
    const done = await shop.getByTestId('timeline-step').allTextContents();
    expect(done.map((s) => s.split(/\d/)[0].trim())).toEqual(['Placed', 'Awaiting payment', 'Confirmed', 'Shipped', 'Delivered']);
    expect(await shop.getByTestId('reviews-status').textContent()).toBe('0 of 1 reviewed');
    await shot(shop, 'order-delivered');
    await shop.locator('#history-title').scrollIntoViewIfNeeded();
    await docImage(shop, 'order-timeline');
  });

  it("links the order to its traces: the placement through the gateway and every service, the courier's steps on to the review service", async () => {
    const link = shop.getByTestId('trace-link');
    const href = (await link.getAttribute('href')) ?? '';
    expect(href.startsWith(`${zipkin.url}/zipkin/?`)).toBe(true);
    expect(new URL(href).searchParams.get('annotationQuery')).toBe(`messaging.kafka.message.key=${orderId}`);
    // Zipkin's API: the order's traces, found the way the link finds them.
    const placement = await eventually(async () => {
      const found = await zipkin.tracesOfKey(orderId);
      const services = (trace: (typeof found)[number]) => new Set(trace.map((s) => s.localEndpoint?.serviceName));
      // Placed in the shop: one trace from the gateway through the order service, Kafka and the catalog, payment
      // and delivery consumers. The courier's steps, moved by the operator, are traces of their own (through the
      // gateway and the delivery service on to the order and review services), found alike.
      const sets = found.map((t) => [...services(t)].sort().join(' '));
      expect(sets).toContain('api-gateway catalog delivery order payment');
      expect(sets.some((set) => set.includes('review'))).toBe(true);
      return found[sets.indexOf('api-gateway catalog delivery order payment')];
    }, 30_000);
    const ui = await shop.context().newPage();
    await ui.setViewportSize({ width: 1280, height: 900 });
    // The link opens Zipkin's search on the order and finds its traces.
    await ui.goto(href);
    await ui.getByText(/\d+ Results?/).first().waitFor({ timeout: 30_000 });
    // The placement's trace in Zipkin's UI: the picture of one order through the platform.
    const loaded = ui.waitForResponse((res) => res.url().endsWith(`/api/v2/trace/${placement[0].traceId}`) && res.ok(), { timeout: 30_000 });
    await ui.goto(`${zipkin.url}/zipkin/traces/${placement[0].traceId}`);
    await loaded;
    await ui.getByText(/\bpayment\b/).filter({ visible: true }).first().waitFor({ timeout: 30_000 });
    await docImage(ui, 'trace');
    await ui.close();
  });

  it('shows a malformed record in the dead letters with its error, and replay takes it off the list', async () => {
    const key = randomUUID();
    await producer.send({ topic: platform.kafka.topic(Topics.orderOrders), messages: [{ key, value: '{"broken": ', headers: { 'event-id': key } }] });
    const payment = console_.getByTestId('dead-letters-payment');
    const letter = payment.getByTestId('dead-letter').filter({ hasText: key });
    await letter.waitFor({ timeout: 30_000 });
    expect(await letter.getByTestId('dead-letter-error').textContent()).toContain('not JSON');
    const id = (await letter.getByTestId('dead-letter-id').textContent()) ?? '';
    expect(id).toMatch(/\.payment\.dlt\/\d+\/\d+$/);
    await shot(console_, 'console-dead-letter');

    expect(await confirm(letter, `Replay dead letter ${id}`, payment)).toBe('Replayed 1 dead letter of payment through its first retry tier.');
    // The replayed record leaves the list. Still malformed, the retry tier parks it again: a new dead letter
    // under another id, which the operator replays with the rest once its producer is fixed.
    await eventually(async () => {
      expect(await payment.getByTestId('dead-letter-id').allTextContents()).not.toContain(id);
    }, 30_000);
  });

  it("shows the breaker of a frozen service's operator lane open, the customers' one untouched, and closed again once it answers", async () => {
    const operatorLane = '[data-testid="breaker-review-operator"] [data-testid="breaker-state"]';
    const customers = '[data-testid="breaker-review"] [data-testid="breaker-state"]';
    await waitForText(console_, operatorLane, 'Closed');
    platform.freezeApp('review');
    try {
      // The console's own reads of the review service go through its operator lane (the gateway's upstreams.ts):
      // they time out until that lane's breaker opens, and the breaker customers' calls use is not theirs to open.
      await waitForText(console_, operatorLane, 'Open', 60_000);
      await console_.getByTestId('messaging-review').getByTestId('messaging-error').waitFor();
      expect(await console_.locator(customers).textContent()).toBe('Closed');
      await shot(console_, 'console-breaker-open');
    } finally {
      platform.thawApp('review');
    }
    await waitForText(console_, operatorLane, 'Closed', 60_000);
  });

  it('draws the service map from the catalog: every app, the calls and the topics between them, each service in the state of its breaker', async () => {
    const map = console_.getByTestId('service-map');
    await map.waitFor();
    const nodes = await map.locator('[data-testid^="service-map-node-"]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-testid'), el.getAttribute('data-breaker')]));
    expect(Object.fromEntries(nodes)).toEqual({
      'service-map-node-storefront': 'none',
      'service-map-node-api-gateway': 'none',
      ...Object.fromEntries(SERVICES.map((s) => [`service-map-node-${s}`, 'closed'])),
    });
    const edges = await map.getByTestId('service-map-edge').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-kind')} ${el.getAttribute('data-from')}->${el.getAttribute('data-to')} ${el.getAttribute('data-label')}`));
    expect(edges).toEqual(
      expect.arrayContaining([
        'call storefront->api-gateway HTTP',
        'call api-gateway->payment HTTP',
        'call order->catalog HTTP',
        'topic order->payment order.orders.v1',
        'topic payment->order payment.payments.v1',
        'topic review->catalog review.reviews.v1',
      ]),
    );
    expect(edges).toHaveLength(17);
    // The map's colours are the breakers' states the panel beside it shows.
    expect(await console_.locator('[data-testid="breaker-payment"] [data-testid="breaker-state"]').textContent()).toBe('Closed');
    await shot(console_, 'console-service-map');
  });

  it('shows outbox backlog and consumer lag per service, rebuilds a read model and republishes an order, each confirmed', async () => {
    for (const service of ['catalog', 'order', 'payment', 'delivery', 'review']) {
      await eventually(async () => {
        const backlog = await console_.getByTestId(`messaging-${service}`).getByTestId('outbox-backlog').textContent();
        expect(backlog).toMatch(/^\d+$/);
        expect(await console_.getByTestId(`messaging-${service}`).getByTestId('consumer-lag').textContent()).toMatch(/^\d+$/);
      }, 30_000);
    }
    const operations = console_.locator('#operations-title').locator('..');
    const rebuild = await confirm(operations, "Rebuild Order service's product snapshot");
    expect(rebuild).toMatch(/^Rebuilt: events \d+, updated \d+\.$/);
    const republish = operations.locator('.card', { has: console_.getByRole('heading', { name: "Republish an order's events" }) });
    await republish.getByLabel('Order id').fill('not-an-id');
    expect(await republish.getByRole('button', { name: "Republish the order's events" }).isDisabled()).toBe(true);
    await republish.getByLabel('Order id').fill(orderId);
    // Placed, awaiting payment, confirmed, shipped, delivered.
    expect(await confirm(republish, "Republish the order's events")).toBe(`Republished 5 events of order ${orderId.slice(0, 8)}.`);
  });

  it('charts the last hour from Prometheus: every chart drawn, the order counted by its outcomes', async () => {
    await console_.setViewportSize({ width: 1280, height: 900 });
    await eventually(async () => {
      await open(console_, '/admin');
      for (const id of CHARTS) await console_.getByTestId(`chart-${id}`).locator('canvas').first().waitFor({ timeout: 15_000 });
      const legend = (await console_.getByTestId('chart-orders').locator('.u-legend').textContent()) ?? '';
      expect(legend).toContain('placed');
      expect(legend).toContain('delivered');
    }, 90_000);
    expect(await console_.getByTestId('chart-to-confirmed').locator('.u-legend').textContent()).toContain('p99');
  });

  it('shows a canary release being judged, then its verdict with the reasons', async () => {
    const admin = await tokenFor('release-tool', 'admin');
    const releases = (method: string, path: string, body?: unknown) =>
      fetch(`${gateway.url}/api/admin/releases/payment${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    // What the console shows is this test's business (the release itself is e2e/releases'): the stable
    // instance stands in for the canary's address.
    expect((await releases('PUT', '/canary', { url: platform.url('payment'), weight: 10, version: 'c4a9a2b0d1e3' })).status).toBe(200);
    const signal = { name: 'records sent to retry', stable: '0.0% of 40', canary: '50.0% of 12', verdict: 'bad', note: 'higher by 50.0 points (z 4.9)' };
    const report = { version: 'c4a9a2b0d1e3', stableVersion: '5b7e01f9aa42', phase: 'judging', weight: 10, startedAt: new Date().toISOString(), windowSeconds: 120, elapsedSeconds: 8, reasons: [], signals: [signal] };
    expect((await releases('PUT', '/report', report)).status).toBe(200);
    const card = '[data-testid="release-payment"]';
    await waitForText(console_, `${card} [data-testid="release-phase"]`, 'Judging the canary');
    expect(await console_.locator(card).getByTestId('release-version').textContent()).toBe('c4a9a2b0d1e3');
    await shot(console_, 'console-release-judging');
    expect((await releases('DELETE', '/canary')).status).toBe(200);
    const reason = 'records sent to retry: canary 50.0% of 12, stable 0.0% of 40 (higher by 50.0 points (z 4.9))';
    expect((await releases('PUT', '/report', { ...report, phase: 'rolled-back', verdict: 'rollback', elapsedSeconds: 9.5, reasons: [reason] })).status).toBe(200);
    await waitForText(console_, `${card} [data-testid="release-phase"]`, 'Rolled back');
    expect(await console_.locator(card).getByTestId('release-verdict').textContent()).toBe('Verdict: roll back');
    expect(await console_.locator(card).getByTestId('release-reasons').textContent()).toBe(reason);
    await shot(console_, 'console-release-rolled-back');
  });

  it('lays the console and the order page out on a phone and a desktop without horizontal overflow', async () => {
    for (const [width, height] of [
      [375, 812],
      [1280, 900],
    ]) {
      await console_.setViewportSize({ width, height });
      await open(console_, '/admin');
      await console_.getByTestId('breaker-review').waitFor();
      await console_.getByTestId('chart-orders').locator('canvas').first().waitFor();
      expect({ width, page: '/admin', fits: await fits(console_) }).toEqual({ width, page: '/admin', fits: true });
      await shot(console_, `${width === 375 ? 'phone' : 'desktop'}-console`);
      if (width === 1280) await docImage(console_, 'console');
      await open(console_, `/orders/${orderId}`);
      await waitForText(console_, '[data-testid="order-status"]', 'Delivered');
      expect({ width, page: '/orders/:id', fits: await fits(console_) }).toEqual({ width, page: '/orders/:id', fits: true });
      await shot(console_, `${width === 375 ? 'phone' : 'desktop'}-order`);
    }
  });

  it('threw no error in either page; the only failed loads are the console reads of the frozen service', () => {
    expect(browser.problems.filter((p) => p.kind === 'pageerror')).toEqual([]);
    const failed = browser.problems.filter((p) => p.kind === 'console');
    expect(failed.filter((p) => !(p.url?.startsWith(`${storefront.url}/api/admin/`) && /status of (503|504)/.test(p.text)))).toEqual([]);
  });
});
