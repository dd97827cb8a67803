import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DEFAULT_OPTIONS } from './load-options';
import { runLoad } from './load-runner';

/**
 * A gateway's answers as the load generator meets them, from a local HTTP
 * server: every order's first look is refused 429 with Retry-After: 2 (the
 * customer's read limit), and an order is delivered three seconds after it
 * was placed. What is checked is the generator itself: that it waits as a
 * storefront waits, and counts refusals apart from failures.
 */
class ShopStandIn {
  readonly looks = new Map<string, number[]>();
  private readonly placedAt = new Map<string, number>();
  private readonly refusedOnce = new Set<string>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, res));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const url = req.url ?? '/';
    if (url === '/health/ready') return json(200, { status: 'ok' });
    if (url === '/api/auth/token') return json(200, { accessToken: `t-${randomUUID()}`, tokenType: 'Bearer', expiresIn: 3600 });
    if (url.startsWith('/api/products')) {
      return json(200, { items: [{ id: randomUUID(), sku: 's', name: 'Steel kettle', description: '', priceCents: 100, currency: 'EUR', stock: 1_000, rating: { average: 0, count: 0 } }], nextCursor: null });
    }
    if (req.method === 'POST' && url === '/api/orders') {
      const id = randomUUID();
      this.placedAt.set(id, Date.now());
      return json(202, { id, status: 'PENDING' });
    }
    const id = /^\/api\/orders\/([0-9a-f-]{36})$/.exec(url)?.[1];
    if (id) {
      this.looks.set(id, [...(this.looks.get(id) ?? []), Date.now()]);
      if (!this.refusedOnce.has(id)) {
        this.refusedOnce.add(id);
        return json(429, { status: 429, title: 'Too Many Requests' }, { 'retry-after': '2', 'content-type': 'application/problem+json' });
      }
      const status = Date.now() - (this.placedAt.get(id) ?? 0) > 3_000 ? 'DELIVERED' : 'CONFIRMED';
      return json(200, { id, status });
    }
    json(404, { status: 404 });
  }
}

describe('npm run load against a gateway that sheds load', () => {
  const shop = new ShopStandIn();
  let target: string;

  beforeAll(async () => {
    target = await shop.start();
  });
  afterAll(() => shop.stop());

  it('waits out Retry-After, follows each order at a storefront pace, and reports refusals apart from failures', async () => {
    const summary = await runLoad({
      ...DEFAULT_OPTIONS,
      target,
      rate: 20,
      durationSeconds: 2,
      drainSeconds: 15,
      customers: 3,
      connections: 8,
      mix: { list: 0, search: 0, product: 1, reviews: 0, order: 1, follow: 6, review: 0 },
      quiet: true,
    });
    expect(summary.errors).toBe(0);
    expect(summary.orders.placed).toBeGreaterThan(0);
    expect(summary.orders.terminal).toEqual({ DELIVERED: summary.orders.placed });
    expect(summary.refused).toBe(summary.orders.placed);
    expect(summary.actions.follow?.refused).toEqual({ '429': summary.orders.placed });
    for (const [id, looks] of shop.looks) {
      // After the 429, nothing for that order until Retry-After has passed; then a look a second or more apart.
      expect({ id, waitedOut: looks[1] - looks[0] >= 1_900 }).toEqual({ id, waitedOut: true });
      for (let i = 2; i < looks.length; i++) expect({ id, gap: looks[i] - looks[i - 1] >= 900 }).toEqual({ id, gap: true });
    }
  }, 30_000);
});
