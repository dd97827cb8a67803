import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectedRefusal, OrderLoad, planOrders, random } from './order-load';

const products = { plentiful: ['p0', 'p1', 'p2', 'p3'], scarce: 'scarce' };

describe('chaos order load plan', () => {
  it('plans the same orders for the same seed and others for another seed', () => {
    expect(planOrders(50, products, 7)).toEqual(planOrders(50, products, 7));
    expect(planOrders(50, products, 8)).not.toEqual(planOrders(50, products, 7));
    const next = random(1);
    const values = Array.from({ length: 1000 }, next);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('mixes declines, cancels and the scarce product in about the shares asked for', () => {
    const plan = planOrders(4000, products, 3, { declineShare: 0.1, cancelShare: 0.03, scarceShare: 0.05, customers: 50 });
    const share = (pred: (o: (typeof plan)[number]) => boolean) => plan.filter(pred).length / plan.length;
    expect(share((o) => o.paymentToken.startsWith('tok_decline'))).toBeCloseTo(0.1, 1);
    expect(share((o) => o.cancel)).toBeGreaterThan(0.015);
    expect(share((o) => o.cancel)).toBeLessThan(0.045);
    expect(share((o) => o.items.some((i) => i.productId === 'scarce'))).toBeCloseTo(0.05, 1);
    expect(new Set(plan.map((o) => o.customer)).size).toBe(50);
  });

  it('orders one to three of each product, never the same product twice in one order', () => {
    for (const order of planOrders(500, products, 11)) {
      expect(order.items.length).toBeGreaterThanOrEqual(1);
      expect(new Set(order.items.map((i) => i.productId)).size).toBe(order.items.length);
      for (const item of order.items) expect([1, 2, 3]).toContain(item.quantity);
      expect(['tok_chaos_ok', 'tok_decline_chaos']).toContain(order.paymentToken);
    }
  });

  it('refuses a plan with fewer than two plentiful products', () => {
    expect(() => planOrders(1, { plentiful: ['p0'], scarce: 's' }, 1)).toThrow('at least two plentiful products');
  });
});

describe('chaos order load against a gateway', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url?.endsWith('/cancel')) return reply(req.url.includes('/o2/') ? 202 : 409, {});
      n++;
      if (n % 4 === 0) return reply(503, { status: 503, detail: 'order is unavailable (breaker open)' });
      if (n % 4 === 1) return reply(500, { status: 500, detail: 'boom' });
      reply(202, { id: `o${n}` });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('places every order at the rate asked for, counts refusals by kind with a sample, and never retries', async () => {
    const plan = planOrders(8, products, 5).map((o, i) => ({ ...o, customer: 'c', cancel: i === 1 || i === 2 }));
    const load = new OrderLoad(url, new Map([['c', 'token-c']]), plan, { rate: 40, cancelAfterMs: 10 });
    const halfway = load.whenSent(4).then(() => load.sent);
    const started = Date.now();
    const result = await load.run();
    expect(await halfway).toBeGreaterThanOrEqual(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(7 * 25 - 5);
    expect(result.sent).toBe(8);
    expect(result.acceptedOrderIds.sort()).toEqual(['o2', 'o3', 'o6', 'o7']);
    expect(result.refused).toEqual({ 'HTTP 500': 2, 'HTTP 503': 2 });
    expect(result.samples).toEqual({ 'HTTP 500': 'boom', 'HTTP 503': 'order is unavailable (breaker open)' });
    expect(result.cancels).toEqual({ sent: 2, accepted: 1, tooLate: 1, refused: 0 });
    expect(seen.filter((s) => s.startsWith('POST /api/orders '))).toHaveLength(8);
    expect(seen.every((s) => s.endsWith('Bearer token-c'))).toBe(true);
  });

  it('counts a gateway that does not answer as a connection error', async () => {
    const load = new OrderLoad('http://127.0.0.1:9', new Map([['c', 't']]), planOrders(2, products, 1).map((o) => ({ ...o, customer: 'c' })), { rate: 100 });
    const result = await load.run();
    expect(result).toMatchObject({ sent: 2, acceptedOrderIds: [], refused: { 'connection error': 2 } });
    expect(expectedRefusal('connection error')).toBe(true);
    expect(expectedRefusal('HTTP 500')).toBe(false);
  });
});
