import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import type { ProductView } from '@shop/shared/contracts';
import { AppProcess, eventually, TestPlatform, workspaceRoot } from '@shop/testing';
import { call, startGateway } from '../gateway/gateway-process';
import { StorefrontBrowser } from './storefront-browser';

/** What the scripts run inside the page touch (page.evaluate): the root tsconfig has no DOM types. */
interface PageElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  labels?: ArrayLike<{ textContent: string | null }> | null;
}
declare const document: {
  activeElement: PageElement | null;
  body: PageElement;
  documentElement: { scrollWidth: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare const window: { innerWidth: number };
declare const localStorage: { getItem(key: string): string | null };

const SHOTS = join(workspaceRoot(), '.local', 'screenshots', 'storefront');
const ADDRESS = { 'Full name': 'Ada Lovelace', 'Street address': '12 Analytical St', City: 'London', 'Postal code': 'N1 9GU', Country: 'United Kingdom' };

/**
 * The storefront in headless Chromium, in front of the real platform: five
 * services on real Postgres and Kafka, the gateway, and the storefront's own
 * server, each a compiled process. A customer shops as a person would: signs
 * in, searches, fills a cart, checks out (once with the keyboard only),
 * follows orders live to DELIVERED or CANCELLED, reviews, cancels.
 */
describe('storefront in a real browser (whole platform behind it)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let storefront: AppProcess;
  let browser: StorefrontBrowser;
  let page: Page;
  let admin: string;
  const customer = `ada-${randomUUID().slice(0, 8)}`;
  const products: Record<'kettle' | 'mug' | 'teapot', ProductView> = {} as never;
  const orders: { delivered?: string; declined?: string; cancelled?: string } = {};
  /** API answers the test provokes on purpose; Chromium logs each as a console error of the network. */
  const provoked: Array<{ status: number; path: string }> = [];

  async function createProduct(name: string, priceCents: number, description: string): Promise<ProductView> {
    const res = await call<ProductView>(gateway.url, 'POST', '/api/products', {
      token: admin,
      body: { sku: `SF-${randomUUID().slice(0, 8)}`, name, description, priceCents, currency: 'EUR', stock: 50 },
    });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The order service takes orders against its own snapshot, fed by catalog events: wait until it knows them. */
  async function waitForOrderSnapshot(ids: string[]): Promise<void> {
    const db = new Client({ connectionString: platform.db.urlFor('order') });
    await db.connect();
    try {
      await eventually(async () => {
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from product_snapshots where product_id = any($1::uuid[])', [ids]);
        if (rows[0].n !== ids.length) throw new Error(`order service knows ${rows[0].n} of ${ids.length} products`);
      }, 30_000);
    } finally {
      await db.end();
    }
  }

  async function go(path: string): Promise<void> {
    await page.goto(`${storefront.url}${path}`);
    await page.locator('h1').first().waitFor();
  }

  const heading = () => page.locator('h1').first();
  const statusText = () => page.getByTestId('order-status').textContent();

  /** Waits until the element with that test id reads exactly `text` (the order page updates by itself). */
  async function waitForText(testId: string, text: string, timeout = 30_000): Promise<void> {
    await page.waitForFunction(([id, expected]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === expected, [testId, text], { timeout });
  }

  const waitForStatus = (label: string) => waitForText('order-status', label);

  async function fillAddress(token: string): Promise<void> {
    for (const [label, value] of Object.entries(ADDRESS)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel('Payment token').fill(token);
  }

  /** The focused element as `tag:accessible name`, e.g. `input:City`, `button:Add Glass Teapot to cart`. */
  async function focused(): Promise<string> {
    return page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body:';
      const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
      return `${el.tagName.toLowerCase()}:${name.replace(/\s+/g, ' ').trim()}`;
    });
  }

  /** Presses Tab (or Shift+Tab) until the target has focus: the focus order must reach it. */
  async function tabTo(target: RegExp, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < (options.max ?? 60); i++) {
      await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
      const now = await focused();
      if (target.test(now)) return;
      seen.push(now);
    }
    throw new Error(`Tab never reached ${target}; focus went through: ${seen.join(' | ')}`);
  }

  async function noHorizontalOverflow(): Promise<{ scrollWidth: number; innerWidth: number }> {
    return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  }

  beforeAll(async () => {
    // Before starting anything: no browser, no test.
    StorefrontBrowser.requireChromium();
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '300', DELIVERY_COMPLETE_DELAY_MS: '300' } },
    });
    gateway = await startGateway({
      ...platform.gatewayEnv(),
      AUTH_DEMO_ISSUER: 'true',
      BREAKER_RESET_TIMEOUT_MS: '1000',
    });
    const pages = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'public', 'index.html');
    if (!existsSync(pages)) throw new Error(`${pages} is missing; run npm run build (npm test does)`);
    storefront = await AppProcess.start('storefront', { env: { GATEWAY_URL: gateway.url } });
    admin = (await call<{ accessToken: string }>(gateway.url, 'POST', '/api/auth/token', { body: { customerId: 'ops-1', role: 'admin' } })).body.accessToken;
    // Created in this order, so the list (newest first) shows them the other way round.
    products.kettle = await createProduct('Copper Kettle', 2500, 'Boils a litre in three minutes.');
    products.mug = await createProduct('Stoneware Mug', 800, 'Holds 350 ml.');
    products.teapot = await createProduct('Glass Teapot', 1900, 'With a steel infuser.');
    await waitForOrderSnapshot(Object.values(products).map((p) => p.id));
    browser = await StorefrontBrowser.launch(SHOTS);
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await storefront?.stop();
    await gateway?.stop();
    await platform?.stop();
  });

  it('lists the products newest first, with ratings, and finds one by search', async () => {
    await go('/');
    const cards = page.getByTestId('product-card');
    await cards.nth(2).waitFor();
    expect(await page.locator('.product-name').allTextContents()).toEqual(['Glass Teapot', 'Stoneware Mug', 'Copper Kettle']);
    expect(await page.getByTestId('rating').allTextContents()).toEqual(['No reviews yet', 'No reviews yet', 'No reviews yet']);
    await browser.shot('products');

    await page.getByLabel('Search products').fill('teapot');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\?q=teapot$/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-card"]').length === 1);
    expect(await page.locator('.product-name').allTextContents()).toEqual(['Glass Teapot']);
    expect(await heading().textContent()).toBe('Products matching “teapot”');
    await browser.shot('search');

    await page.getByLabel('Search products').fill('nothing like this');
    await page.getByLabel('Search products').press('Enter');
    await page.getByText('No products match “nothing like this”.').waitFor();
  });

  it('browses by category and shows the pictures of products created through the API, and a placeholder where there is none', async () => {
    const category = `sf-${randomUUID().slice(0, 8)}`;
    const created = await call<ProductView>(gateway.url, 'POST', '/api/products', {
      token: admin,
      body: { sku: `SF-${randomUUID().slice(0, 8)}`, name: 'Pictured Jug', description: 'A jug with a picture.', priceCents: 1500, currency: 'EUR', stock: 5, category },
    });
    expect(created.status).toBe(201);
    const jug = created.body;
    // A 1x1 PNG, uploaded through the gateway as an admin would.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const put = await fetch(`${gateway.url}/api/products/${jug.id}/picture`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(put.status).toBe(200);
    const withPicture = (await put.json()) as ProductView;
    expect(withPicture.picture?.url).toBe(`/api/products/${jug.id}/picture`);
    // Not an image: refused through the gateway too, and the product keeps its picture.
    const bad = await fetch(`${gateway.url}/api/products/${jug.id}/picture`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/png' },
      body: 'not a picture',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const served = await fetch(`${gateway.url}/api/products/${jug.id}/picture`);
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe(`"${withPicture.picture?.etag}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    await go('/');
    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: /^Sf / }).click();
    await page.waitForURL(new RegExp(`\\?category=${category}$`));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-card"]').length === 1);
    expect(await page.locator('.product-name').allTextContents()).toEqual(['Pictured Jug']);
    const picture = page.getByTestId('product-picture');
    expect(await picture.getAttribute('src')).toMatch(new RegExp(`^/api/products/${jug.id}/picture\\?v=`));
    // The picture came from the catalog, through the storefront and the gateway, and decoded.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-testid="product-picture"]') as ArrayLike<PageElement & { complete: boolean; naturalWidth: number }>).every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    expect(await page.getByTestId('product-category').textContent()).toBe(`Sf ${category.slice(3)}`);
    await browser.shot('category');

    // Products without a picture (and not from the demo catalog) show a placeholder of the same size.
    await go('/');
    await page.getByTestId('product-card').nth(3).waitFor();
    expect(await page.getByTestId('product-picture-placeholder').count()).toBe(3);
    await go(`/products/${jug.id}`);
    expect(await page.getByTestId('product-picture').getAttribute('src')).toMatch(new RegExp(`^/api/products/${jug.id}/picture`));
    await page.getByTestId('product-category').getByRole('link').click();
    await page.waitForURL(new RegExp(`\\?category=${category}$`));
  });

  it('signs in through the demo issuer with a customer name', async () => {
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/signin\?next=/);
    await page.getByLabel('Your name or customer id').fill(customer);
    await browser.shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(customer);
  });

  it('puts two products in the cart: one from the list, two of another from its page', async () => {
    await go('/');
    await page.getByRole('button', { name: 'Add Copper Kettle to cart' }).click();
    await page.getByText('Added Copper Kettle to your cart').waitFor();

    await page.getByRole('link', { name: 'Stoneware Mug' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stoneware Mug' }).waitFor();
    expect(await page.getByText('Holds 350 ml.').isVisible()).toBe(true);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added 2 × Stoneware Mug to your cart').waitFor();
    await browser.shot('product');

    await page.getByRole('link', { name: 'Cart (3)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
    expect(await page.getByTestId('cart-line').count()).toBe(2);
    expect(await page.getByTestId('cart-total').textContent()).toBe('Total: €41.00');
    await browser.shot('cart');
  });

  it('checks out and follows the order live to DELIVERED, its history as a timeline', async () => {
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    expect(await page.locator('#payment-token-hint').textContent()).toContain('tok_decline');
    await fillAddress('tok_visa');
    await browser.shot('checkout');
    await page.getByRole('button', { name: /^Place order/ }).click();

    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    orders.delivered = page.url().split('/').pop();
    await page.getByTestId('order-status').waitFor();
    await browser.shot('order-placed');
    await waitForStatus('Delivered');
    await waitForText('delivery-status', 'Delivered');
    const steps = await page.getByTestId('timeline-step').allTextContents();
    expect(steps.map((s) => s.split(/\d/)[0].trim())).toEqual(['Placed', 'Awaiting payment', 'Confirmed', 'Shipped', 'Delivered']);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Paid · €41.00');
    expect(await page.getByRole('button', { name: 'Cancel this order' }).count()).toBe(0);
    // The cart was emptied by the order.
    expect(await page.getByTestId('cart-link').textContent()).toBe('Cart');
    await browser.shot('order-delivered');
  });

  it("writes a review after delivery and sees the product's rating change", async () => {
    const form = page.getByRole('form', { name: 'Review Copper Kettle' });
    await form.getByLabel('5 stars').check();
    await form.getByLabel('Comment (optional)').fill('Fast, quiet, and it looks good on the stove.');
    await browser.shot('review-form');
    await form.getByRole('button', { name: 'Submit review of Copper Kettle' }).click();
    await page.getByText('You rated Copper Kettle 5 out of 5. Thank you!').waitFor();
    // The other item can still be reviewed.
    expect(await page.getByRole('form', { name: 'Review Stoneware Mug' }).count()).toBe(1);

    await page.getByTestId('reviewed').getByRole('link', { name: 'Copper Kettle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Copper Kettle' }).waitFor();
    // The rating is a read model fed by events: reload as a customer would until it shows.
    await eventually(async () => {
      const rating = await page.getByTestId('rating').textContent();
      if (!rating?.includes('Rated 5.0 out of 5 from 1 review')) {
        await page.reload();
        await page.getByTestId('rating').waitFor();
        throw new Error(`rating still "${rating}"`);
      }
    }, 30_000, 500);
    await page.getByText('Fast, quiet, and it looks good on the stove.').waitFor();
    expect(await page.getByTestId('review').count()).toBe(1);
    await browser.shot('product-rated');

    // On the list, the kettle's card shows its rating and the others still have none.
    await go('/');
    await page.getByTestId('product-card').nth(3).waitFor();
    const cardRating = (name: string) => page.getByTestId('product-card').filter({ hasText: name }).getByTestId('rating').textContent();
    expect(await cardRating('Copper Kettle')).toContain('Rated 5.0 out of 5 from 1 review');
    expect(await cardRating('Stoneware Mug')).toBe('No reviews yet');
    expect(await cardRating('Glass Teapot')).toBe('No reviews yet');
  });

  it('checks out with the keyboard only (Tab, Space, Enter); a declined payment ends CANCELLED with its reason', async () => {
    await go('/');
    await page.getByTestId('product-card').nth(2).waitFor();
    await tabTo(/^button:Add Glass Teapot to cart$/);
    await page.keyboard.press('Space');
    await page.getByText('Added Glass Teapot to your cart').waitFor();
    await tabTo(/^a:Cart \(1\)$/, { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
    // After an in-app navigation focus starts at the page's heading.
    expect(await focused()).toBe('h1:Your cart');
    await tabTo(/^a:Go to checkout$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();

    // The fields come in reading order, one Tab apart.
    await tabTo(/^input:Full name$/);
    await page.keyboard.type(ADDRESS['Full name']);
    for (const label of ['Street address', 'City', 'Postal code', 'Country'] as const) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(`input:${label}`);
      await page.keyboard.type(ADDRESS[label]);
    }
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input:Payment token');
    await page.keyboard.type('tok_decline_insufficient_funds');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^button:Place order · €19\.00$/);
    await browser.shot('checkout-keyboard');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    orders.declined = page.url().split('/').pop();
    await waitForStatus('Cancelled');
    expect(await page.getByTestId('cancel-reason').textContent()).toBe('The payment was declined; the items were released.');
    const steps = await page.getByTestId('timeline-step').allTextContents();
    expect(steps[steps.length - 1]).toMatch(/^Cancelled/);
    await waitForText('payment-status', 'Declined · €19.00');
    await browser.shot('order-declined');
  });

  it("shows an API problem's detail: an unknown product, and a quantity beyond what the shop accepts", async () => {
    const unknown = randomUUID();
    const notFound = await call<{ detail: string }>(gateway.url, 'GET', `/api/products/${unknown}`);
    expect(notFound.status).toBe(404);
    provoked.push({ status: 404, path: `/api/products/${unknown}` });
    await go(`/products/${unknown}`);
    const alert = page.getByTestId('problem').first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain(notFound.body.detail);
    await browser.shot('problem-not-found');

    await go('/');
    await page.getByRole('button', { name: 'Add Stoneware Mug to cart' }).click();
    await go('/cart');
    await page.getByLabel('Quantity').fill('1001');
    await page.getByLabel('Quantity').press('Tab');
    expect(await page.getByTestId('cart-total').textContent()).toBe('Total: €8,008.00');
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    await fillAddress('tok_visa');
    provoked.push({ status: 400, path: '/api/orders' });
    await page.getByRole('button', { name: /^Place order/ }).click();
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    // The same body straight to the gateway: the page shows exactly its detail.
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('shop.session') ?? '{}').accessToken as string);
    const direct = await call<{ detail: string; errors: Array<{ path: string }> }>(gateway.url, 'POST', '/api/orders', {
      token,
      body: {
        items: [{ productId: products.mug.id, quantity: 1001 }],
        paymentToken: 'tok_visa',
        shippingAddress: { name: ADDRESS['Full name'], line1: ADDRESS['Street address'], city: ADDRESS.City, postalCode: ADDRESS['Postal code'], country: ADDRESS.Country },
      },
    });
    expect(direct.status).toBe(400);
    expect(await problem.locator('.alert-detail').textContent()).toBe(direct.body.detail);
    expect(await problem.locator('.alert-errors').textContent()).toMatch(/^Stoneware Mug, quantity: /);
    // Focus moved to the alert, so a keyboard or screen-reader user lands on it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('problem');
    expect(page.url()).toMatch(/\/checkout$/);
    await browser.shot('problem-checkout');
  });

  it('cancels an order before dispatch: asked while the delivery service is down, settled once it is back', async () => {
    await platform.stopApp('delivery');
    await go('/cart');
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Quantity').press('Tab');
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    await fillAddress('tok_visa');
    await page.getByRole('button', { name: /^Place order/ }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    orders.cancelled = page.url().split('/').pop();

    // Paid, but no courier while the delivery service is down.
    await waitForStatus('Confirmed');
    await page.getByTestId('degraded').waitFor();
    expect(await page.getByTestId('degraded').textContent()).toBe('Some details of this order are not available right now: delivery. This page keeps trying.');
    await waitForText('payment-status', 'Paid · €8.00');
    await browser.shot('order-degraded');

    // A confirmed order's parcel may be leaving: the delivery service decides, so the cancel waits for it.
    await page.getByRole('button', { name: 'Cancel this order' }).click();
    await waitForText('cancellation', 'You asked to cancel: we are stopping the parcel before it leaves.');
    expect(await statusText()).toBe('Confirmed');
    expect(await page.getByRole('button', { name: 'Cancel this order' }).count()).toBe(0);
    await browser.shot('order-cancel-pending');

    // The delivery service comes back, calls the delivery off; the page, still following, shows the outcome.
    await platform.startApp('delivery');
    await page.getByTestId('degraded').waitFor({ state: 'detached', timeout: 30_000 });
    await waitForStatus('Cancelled');
    expect(await page.getByTestId('cancel-reason').textContent()).toBe('You cancelled this order; any payment is refunded.');
    await waitForText('payment-status', 'Refunded · €8.00');
    await browser.shot('order-cancelled');
  });

  it('lists "my orders", newest first', async () => {
    await page.getByRole('link', { name: 'My orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your orders' }).waitFor();
    await page.getByTestId('order-row').nth(2).waitFor();
    const rows = await page.getByTestId('order-row').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(`Order ${orders.cancelled?.slice(0, 8)}Cancelled1 item · €8.00`);
    expect(rows[1]).toContain(`Order ${orders.declined?.slice(0, 8)}Cancelled1 item · €19.00`);
    expect(rows[2]).toContain(`Order ${orders.delivered?.slice(0, 8)}Delivered3 items · €41.00`);
    await browser.shot('my-orders');
  });

  it('lays every page out at 375 px and at 1280 px without horizontal overflow', async () => {
    await go('/');
    await page.getByRole('button', { name: 'Add Copper Kettle to cart' }).click();
    const paths = [
      '/',
      '/?q=mug',
      `/products/${products.kettle.id}`,
      '/cart',
      '/checkout',
      '/orders',
      `/orders/${orders.delivered}`,
      `/orders/${orders.cancelled}`,
      '/signin',
      '/no-such-page',
    ];
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      for (const path of paths) {
        await go(path);
        // Let the page's data arrive: no "Loading…" left.
        await page.waitForFunction(() => !document.querySelector('main [role="status"]')?.textContent?.startsWith('Loading'));
        const size = await noHorizontalOverflow();
        expect({ width, path, fits: size.scrollWidth <= size.innerWidth }).toEqual({ width, path, fits: true });
        if (width === 375) await browser.shot(`375-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`);
      }
    }
  });

  it('logged no console error and no page error during the whole run, beyond the API errors it provoked', () => {
    const isProvoked = (p: (typeof browser.problems)[number]) =>
      provoked.some(
        (x) => p.kind === 'console' && p.url === `${storefront.url}${x.path}` && p.text.startsWith(`Failed to load resource: the server responded with a status of ${x.status}`),
      );
    expect(browser.problems.filter((p) => !isProvoked(p))).toEqual([]);
    // Chromium did report each provoked answer: the log being checked is the real one.
    expect(browser.problems.filter(isProvoked)).toHaveLength(provoked.length);
  });
});
