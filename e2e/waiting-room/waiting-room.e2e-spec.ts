import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { OrderView, WaitingRoomTicketView, WaitingRoomView } from '@shop/shared/contracts';
import { AppProcess, eventually, TestPlatform, tokenFor, workspaceRoot } from '@shop/testing';
import { call, startGateway } from '../gateway/gateway-process';
import { StorefrontBrowser } from '../storefront/storefront-browser';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
/**
 * Short enough for a test to watch a ticket expire; long enough that a gateway restart on a busy machine (a few
 * seconds) and a look every second or two keep a ticket alive with room to spare.
 */
const TICKET_TTL_MS = 10_000;

type Answer = OrderView | WaitingRoomTicketView;
const isTicket = (body: Answer): body is WaitingRoomTicketView => 'ticketId' in body;

/**
 * The waiting room on the whole platform (five services on real Postgres and
 * Kafka, the gateway, the storefront in Chromium): it opens by itself when
 * the lifecycle is saturated and closes once it keeps up, admits first come
 * first served, keeps its line through a gateway restart, lets an abandoned
 * ticket expire, gives one customer one place, and the storefront shows the
 * place in line live. The room's target is low (150 ms placed → confirmed),
 * so a burst this machine can make saturates it.
 */
describe('the waiting room (whole platform)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let admin: string;
  let productId: string;
  let db: Client;

  const order = (token: string, key?: string) =>
    call<Answer>(gateway.url, 'POST', '/api/orders', {
      token,
      body: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS },
      headers: key ? { 'idempotency-key': key } : {},
    });
  const room = async () => (await call<WaitingRoomView>(gateway.url, 'GET', '/api/admin/waiting-room', { token: admin })).body;
  const setRoom = async (mode: 'auto' | 'open' | 'closed', ratePerSecond: number | null = null) => {
    const res = await call<WaitingRoomView>(gateway.url, 'PUT', '/api/admin/waiting-room', { token: admin, body: { mode, ratePerSecond } });
    if (res.status !== 200) throw new Error(`setting the room: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ticket = async (token: string, id: string) => call<WaitingRoomTicketView>(gateway.url, 'GET', `/api/waiting-room/tickets/${id}`, { token });

  /**
   * Looks at the ticket as a customer's page does, when its Retry-After says (a busy gateway's 503 is looked at
   * again a second later), until it is no longer WAITING.
   */
  async function follow(token: string, id: string, timeoutMs = 90_000): Promise<WaitingRoomTicketView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await ticket(token, id);
      if (res.status !== 200 && res.status !== 503) throw new Error(`ticket ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status === 200 && res.body.status !== 'WAITING') return res.body;
      if (Date.now() > until) throw new Error(`ticket ${id} still waiting: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
    }
  }

  /** Each test starts with nobody in line (an earlier one's tickets admitted or expired). */
  const emptyLine = () =>
    eventually(async () => {
      const now = await room();
      if (now.waiting > 0) throw new Error(`${now.waiting} still in line`);
    }, 60_000);

  beforeAll(async () => {
    StorefrontBrowser.requireChromium();
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: {
        order: {
          WAITING_ROOM_TARGET_MS: '150',
          WAITING_ROOM_OPEN_AFTER_MS: '500',
          WAITING_ROOM_CLOSE_AFTER_MS: '2000',
          WAITING_ROOM_TICKET_TTL_MS: String(TICKET_TTL_MS),
          WAITING_ROOM_TICK_MS: '100',
        },
      },
    });
    gateway = await startGateway({ ...platform.gatewayEnv(), AUTH_DEMO_ISSUER: 'true', RATE_LIMIT_WRITE_PER_SECOND: '1000', RATE_LIMIT_WRITE_BURST: '1000' });
    admin = await tokenFor('ops-room', 'admin');
    const product = await call<{ id: string }>(gateway.url, 'POST', '/api/products', {
      token: admin,
      body: { sku: `WR-${randomUUID().slice(0, 8)}`, name: 'Flash Sale Kettle', priceCents: 1500, currency: 'EUR', stock: 100_000 },
    });
    productId = product.body.id;
    db = new Client({ connectionString: platform.db.urlFor('order') });
    await db.connect();
    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from product_snapshots where product_id = $1', [productId]);
      if (rows[0].n !== 1) throw new Error('the order service does not know the product yet');
    }, 30_000);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await gateway?.stop();
    await platform?.stop();
  });

  afterEach(async () => {
    if (gateway?.running) await setRoom('auto');
  });

  it('opens by itself when the lifecycle is saturated, admits every ticket, and closes once it keeps up', async () => {
    expect((await room()).open).toBe(false);
    const customers = await Promise.all(Array.from({ length: 240 }, (_, i) => tokenFor(`burst-${i}-${randomUUID().slice(0, 6)}`)));
    const answers: Answer[] = [];
    let openSeen = false;
    // 240 checkouts, 24 at a time, as fast as they are answered: more than the lifecycle confirms within 150 ms.
    for (let i = 0; i < customers.length; i += 24) {
      const batch = await Promise.all(customers.slice(i, i + 24).map((token) => order(token)));
      for (const res of batch) {
        expect(res.status).toBe(202);
        answers.push(res.body);
      }
      openSeen ||= (await room()).open;
    }
    const tickets = answers.map((a, i) => ({ a, token: customers[i] })).filter(({ a }) => isTicket(a));
    expect(openSeen).toBe(true);
    expect(tickets.length).toBeGreaterThan(0);
    const first = tickets[0].a as WaitingRoomTicketView;
    expect(first).toMatchObject({ status: 'WAITING' });
    expect(first.position).toBeGreaterThanOrEqual(1);
    expect(first.estimatedWaitSeconds).toBeGreaterThanOrEqual(1);

    // Every ticket becomes its order, without the customer submitting again.
    const ended = await Promise.all(tickets.map(({ a, token }) => follow(token, (a as WaitingRoomTicketView).ticketId)));
    expect(ended.map((t) => t.status)).toEqual(ended.map(() => 'ADMITTED'));
    const orderIds = [...answers.filter((a) => !isTicket(a)).map((a) => (a as OrderView).id), ...ended.map((t) => t.orderId as string)];
    expect(new Set(orderIds).size).toBe(customers.length);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from orders where id = any($1::uuid[])', [orderIds]);
    expect(rows[0].n).toBe(customers.length);

    // With the burst over, the room closes by itself (it waits for 2 s of calm).
    await eventually(async () => {
      const now = await room();
      if (now.open) throw new Error(`still open: ${now.reason}`);
    }, 60_000);
    const after = await order(customers[0]);
    expect(isTicket(after.body)).toBe(false);
  }, 240_000);

  it('admits first come, first served, and gives one customer one place', async () => {
    await emptyLine();
    await setRoom('open', 0.001);
    const tokens = await Promise.all(Array.from({ length: 4 }, (_, i) => tokenFor(`line-${i}-${randomUUID().slice(0, 6)}`)));
    const tickets: WaitingRoomTicketView[] = [];
    for (const [i, token] of tokens.entries()) {
      const res = await order(token, `line-key-${i}`);
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(`/api/waiting-room/tickets/${(res.body as WaitingRoomTicketView).ticketId}`);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      tickets.push(res.body as WaitingRoomTicketView);
    }
    expect(tickets.map((t) => t.position)).toEqual([1, 2, 3, 4]);

    // The same checkout again (same key) is the same place; another checkout while waiting is refused.
    const again = await order(tokens[3], 'line-key-3');
    expect((again.body as WaitingRoomTicketView).ticketId).toBe(tickets[3].ticketId);
    const other = await order(tokens[3], 'another-key');
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(other.body)).toMatch(tickets[3].ticketId);
    const { rows: places } = await db.query<{ n: number }>(`select count(*)::int as n from waiting_room_tickets where customer_id like $1`, [`line-3-%`]);
    expect(places[0].n).toBe(1);
    // Someone else's ticket does not exist for them.
    expect((await ticket(tokens[0], tickets[1].ticketId)).status).toBe(404);

    await setRoom('open', 2);
    const ended = await Promise.all(tokens.map((token, i) => follow(token, tickets[i].ticketId)));
    const { rows } = await db.query<{ id: string; created_at: Date }>('select id, created_at from orders where id = any($1::uuid[]) order by created_at', [
      ended.map((t) => t.orderId),
    ]);
    expect(rows.map((r) => r.id)).toEqual(ended.map((t) => t.orderId));
  }, 120_000);

  it('keeps a ticket through a gateway restart, and lets an abandoned one expire', async () => {
    await emptyLine();
    await setRoom('open', 0.001);
    const goneCustomer = `gone-${randomUUID().slice(0, 6)}`;
    const kept = await tokenFor(`kept-${randomUUID().slice(0, 6)}`);
    const gone = await tokenFor(goneCustomer);
    const keptTicket = (await order(kept, 'kept-1')).body as WaitingRoomTicketView;
    const goneTicket = (await order(gone)).body as WaitingRoomTicketView;
    expect([keptTicket.status, goneTicket.status]).toEqual(['WAITING', 'WAITING']);

    const down = Date.now();
    await gateway.stop();
    await gateway.restart();
    const restartMs = Date.now() - down;
    // The premise: the customer could look again before their place expired.
    expect(restartMs).toBeLessThan(TICKET_TTL_MS - 2_000);
    const afterRestart = await ticket(kept, keptTicket.ticketId);
    expect(afterRestart.body).toMatchObject({ ticketId: keptTicket.ticketId, status: 'WAITING', position: expect.any(Number) });

    // The kept one is looked at every second; the other never again: past the TTL it expires and frees its place.
    const keepLooking = setInterval(() => void ticket(kept, keptTicket.ticketId), 1_000);
    try {
      await new Promise((r) => setTimeout(r, TICKET_TTL_MS + 1_500));
      const expired = await ticket(gone, goneTicket.ticketId);
      expect(expired.body).toMatchObject({ status: 'EXPIRED', endedAt: expect.any(String) });
      expect(expired.body.orderId).toBeUndefined();
      expect((await ticket(kept, keptTicket.ticketId)).body.status).toBe('WAITING');
    } finally {
      clearInterval(keepLooking);
    }
    // An expired ticket is never admitted, even when the line moves again.
    await setRoom('open', 50);
    const admitted = await follow(kept, keptTicket.ticketId);
    expect(admitted).toMatchObject({ status: 'ADMITTED', orderId: expect.any(String) });
    expect((await ticket(gone, goneTicket.ticketId)).body.status).toBe('EXPIRED');
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from orders where customer_id = $1', [goneCustomer]);
    expect(rows[0].n).toBe(0);
  }, 120_000);

  it('shows the customer their place in line, live, in the storefront, then the order', async () => {
    const pages = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'public', 'index.html');
    if (!existsSync(pages)) throw new Error(`${pages} is missing; run npm run build (npm test does)`);
    const storefront = await AppProcess.start('storefront', { env: { GATEWAY_URL: gateway.url } });
    const browser = await StorefrontBrowser.launch(join(workspaceRoot(), '.local', 'screenshots', 'waiting-room'));
    let keepAlive: NodeJS.Timeout | undefined;
    try {
      await emptyLine();
      await setRoom('open', 0.001);
      // Two people ahead of the customer, whose pages keep their places.
      const ahead = await Promise.all([0, 1].map((i) => tokenFor(`ahead-${i}-${randomUUID().slice(0, 6)}`)));
      const aheadTickets: string[] = [];
      for (const token of ahead) aheadTickets.push(((await order(token)).body as WaitingRoomTicketView).ticketId);
      keepAlive = setInterval(() => ahead.forEach((token, i) => void ticket(token, aheadTickets[i])), 1_000);
      const page = browser.page;
      await page.goto(`${storefront.url}/products/${productId}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByText('Added Flash Sale Kettle to your cart').waitFor();
      await page.goto(`${storefront.url}/checkout`);
      await page.getByLabel('Your name or customer id').fill(`queue-${randomUUID().slice(0, 6)}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Payment token').waitFor();
      const fields = { 'Full name': ADDRESS.name, 'Street address': ADDRESS.line1, City: ADDRESS.city, 'Postal code': ADDRESS.postalCode, Country: ADDRESS.country };
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel('Payment token').fill('tok_visa');
      await page.getByRole('button', { name: /^Place order/ }).click();
      await page.waitForURL(/\/waiting-room\/[0-9a-f-]{36}$/);
      await page.getByTestId('queue-position').waitFor();
      expect(await page.getByTestId('queue-position').textContent()).toBe('3');
      expect(await page.getByTestId('queue-wait').textContent()).toMatch(/^about \d+ seconds$/);
      await browser.shot('in-line');

      // The operator sees the room open with three in line, and sets it to admit one order every two seconds.
      const console_ = await page.context().newPage();
      await console_.goto(`${storefront.url}/admin`);
      await console_.getByLabel('Operator name').fill('ops-room');
      await console_.getByRole('button', { name: 'Sign in as operator' }).click();
      const panel = console_.getByTestId('waiting-room');
      await panel.waitFor();
      expect(await panel.getByTestId('waiting-room-state').textContent()).toBe('Open');
      expect(await panel.getByTestId('waiting-room-line').textContent()).toBe('3');
      await panel.getByLabel('Fixed rate (orders/s)').fill('0.5');
      await panel.getByRole('button', { name: 'Open the waiting room at a fixed rate', exact: true }).click();
      await panel.getByRole('group', { name: 'Confirm: Open the waiting room at a fixed rate' }).getByRole('button', { name: 'Confirm' }).click();
      await console_.screenshot({ path: join(workspaceRoot(), '.local', 'screenshots', 'waiting-room', 'console.png'), fullPage: true });

      // The line moves: the customer's page follows by itself, then shows the order.
      await page.waitForFunction(() => document.querySelector('[data-testid="queue-position"]')?.textContent === '2', undefined, { timeout: 30_000 });
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      await page.getByTestId('order-status').waitFor();
      await browser.shot('admitted');
      expect(browser.problems.filter((p) => p.kind === 'pageerror')).toEqual([]);
    } finally {
      clearInterval(keepAlive);
      await browser.close();
      await storefront.stop();
    }
  }, 120_000);
});
