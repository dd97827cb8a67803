import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';
import { promtoolProblems, TEST_JWT_SECRET, tokenFor } from '@shop/testing';
import { UPSTREAM_NAMES, UpstreamName } from '../src/upstreams/upstreams';
import { RecordingUpstream, startGateway } from './in-process-gateway';

/**
 * The gateway in-process in front of five recording upstreams: which service
 * each contract route reaches, with which method, path, headers and body, and
 * how answers and timeouts come back. The real services are in e2e/gateway.
 */
describe('api-gateway routing (in-process, recording upstreams)', () => {
  const upstreams = Object.fromEntries(UPSTREAM_NAMES.map((name) => [name, new RecordingUpstream(name)])) as Record<UpstreamName, RecordingUpstream>;
  let app: NestFastifyApplication;
  let registry: Registry;
  let url: string;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    const env: Record<string, string> = {
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      UPSTREAM_READ_TIMEOUT_FLOOR_MS: '300',
      UPSTREAM_READ_TIMEOUT_MS: '300',
      UPSTREAM_WRITE_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '2000',
      // These tests send one client's requests back to back; the limits are e2e/gateway's business.
      RATE_LIMIT_ANONYMOUS_BURST: '10000',
      RATE_LIMIT_READ_BURST: '10000',
      RATE_LIMIT_WRITE_BURST: '10000',
    };
    for (const name of UPSTREAM_NAMES) env[`${name.toUpperCase()}_URL`] = await upstreams[name].start();
    ({ app, url, registry } = await startGateway(env));
    admin = await tokenFor('ops', 'admin');
    customer = await tokenFor('carol');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(Object.values(upstreams).map((u) => u.stop()));
  });

  beforeEach(() => {
    for (const u of Object.values(upstreams)) {
      u.seen = [];
      u.answer = new RecordingUpstream(u.name).answer.bind(u);
    }
  });

  const send = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('sends each contract route to the service that owns it, with the same method, path and body', async () => {
    const id = randomUUID();
    const routes: Array<[string, string, string | undefined, UpstreamName, string, unknown?]> = [
      ['GET', '/api/products?q=mug&limit=5', undefined, 'catalog', '/api/products?q=mug&limit=5'],
      ['GET', `/api/products/${id}`, undefined, 'catalog', `/api/products/${id}`],
      ['POST', '/api/products', 'admin', 'catalog', '/api/products', { sku: 'S' }],
      ['PATCH', `/api/products/${id}`, 'admin', 'catalog', `/api/products/${id}`, { stock: 2 }],
      ['POST', '/api/orders', 'customer', 'order', '/api/orders', { items: [] }],
      ['GET', '/api/orders?limit=3', 'customer', 'order', '/api/orders?limit=3'],
      ['GET', `/api/orders/${id}`, 'customer', 'order', `/api/orders/${id}`],
      ['POST', `/api/orders/${id}/cancel`, 'customer', 'order', `/api/orders/${id}/cancel`],
      ['GET', `/api/payments?orderId=${id}`, 'customer', 'payment', `/api/payments?orderId=${id}`],
      ['GET', `/api/deliveries?orderId=${id}`, 'customer', 'delivery', `/api/deliveries?orderId=${id}`],
      ['POST', `/api/admin/deliveries/${id}/advance`, 'admin', 'delivery', `/api/admin/deliveries/${id}/advance`],
      ['POST', `/api/products/${id}/reviews`, 'customer', 'review', `/api/products/${id}/reviews`, { rating: 5 }],
      ['GET', `/api/products/${id}/reviews?limit=2`, undefined, 'review', `/api/products/${id}/reviews?limit=2`],
      ['GET', '/api/admin/dlq?service=payment&limit=7', 'admin', 'payment', '/admin/dlq?limit=7'],
      ['GET', '/api/admin/dlq?service=review', 'admin', 'review', '/admin/dlq'],
      ['POST', '/api/admin/dlq/replay', 'admin', 'delivery', '/admin/dlq/replay', { service: 'delivery', ids: ['t/0/1'] }],
      ['POST', '/api/admin/events/republish', 'admin', 'order', '/admin/events/republish', { service: 'order', aggregateId: id }],
      ['GET', '/api/admin/messaging?service=delivery', 'admin', 'delivery', '/admin/messaging'],
      ['POST', '/api/admin/read-models/ratings/rebuild', 'admin', 'catalog', '/admin/read-models/ratings/rebuild', { source: 'topic' }],
      ['POST', '/api/admin/read-models/product-snapshots/rebuild', 'admin', 'order', '/admin/read-models/product-snapshots/rebuild', { source: 'api', since: '2026-11-30T08:00:00.000Z' }],
    ];
    for (const [method, path, role, upstream, upstreamPath, body] of routes) {
      for (const u of Object.values(upstreams)) u.seen = [];
      const token = role === 'admin' ? admin : role === 'customer' ? customer : undefined;
      const res = await send(method, path, token, body);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await res.json()).toEqual({ upstream, method, url: upstreamPath });
      const reached = Object.values(upstreams).flatMap((u) => u.seen.map((s) => ({ upstream: u.name, method: s.method, url: s.url })));
      expect(reached).toEqual([{ upstream, method, url: upstreamPath }]);
      const seen = upstreams[upstream].seen[0];
      const expectedBody = body && typeof body === 'object' && 'service' in body ? (({ service: _s, ...rest }) => rest)(body as Record<string, unknown>) : body;
      expect(seen.body ? JSON.parse(seen.body) : undefined).toEqual(expectedBody);
      expect(seen.headers.authorization).toBe(token ? `Bearer ${token}` : undefined);
    }
  });

  it('refuses an unknown read model or service with a 400 problem, reaching no service', async () => {
    for (const [method, path] of [
      ['POST', '/api/admin/read-models/reviews/rebuild'],
      ['GET', '/api/admin/messaging?service=gateway'],
      ['GET', '/api/admin/messaging'],
    ]) {
      for (const u of Object.values(upstreams)) u.seen = [];
      const res = await send(method, path, admin);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(Object.values(upstreams).flatMap((u) => u.seen)).toEqual([]);
    }
  });

  it("composes the summary from the order, then payment, delivery and each product's reviews, paging until this order's review turns up", async () => {
    const id = randomUUID();
    const [p1, p2] = [randomUUID(), randomUUID()];
    const deliveredAt = '2026-11-20T10:00:00.000Z';
    const delivered = { id, status: 'DELIVERED', items: [{ productId: p1 }, { productId: p2 }], history: [{ status: 'DELIVERED', at: deliveredAt }] };
    upstreams.order.answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(delivered));
    upstreams.payment.answer = (_req, res) => res.end(JSON.stringify([{ id: 'pay-1' }, { id: 'pay-2' }]));
    upstreams.delivery.answer = (_req, res) => res.end(JSON.stringify([{ id: 'del-1' }]));
    const review = (n: number, orderId: string, createdAt: string) => ({ id: `r-${n}`, orderId, createdAt });
    // p1: this order's review on the second page, under newer reviews of other orders; p2: none, and its reviews reach back before the delivery.
    const pages: Record<string, Record<string, unknown>> = {
      [`/api/products/${p1}/reviews?limit=100`]: { items: [review(1, randomUUID(), '2026-11-25T00:00:00Z')], nextCursor: 'c2' },
      [`/api/products/${p1}/reviews?limit=100&cursor=c2`]: { items: [review(2, id, '2026-11-21T00:00:00Z')], nextCursor: 'c3' },
      [`/api/products/${p2}/reviews?limit=100`]: { items: [review(3, randomUUID(), '2026-11-22T00:00:00Z'), review(4, randomUUID(), '2026-10-01T00:00:00Z')], nextCursor: 'c5' },
    };
    upstreams.review.answer = (req, res) => res.end(JSON.stringify(pages[req.url] ?? { items: [], nextCursor: null }));

    const res = await send('GET', `/api/orders/${id}/summary`, customer);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      order: delivered,
      payment: { id: 'pay-2' },
      delivery: { id: 'del-1' },
      reviews: [review(2, id, '2026-11-21T00:00:00Z')],
      degraded: [],
    });
    expect(upstreams.order.seen.map((s) => s.url)).toEqual([`/api/orders/${id}`]);
    expect(upstreams.payment.seen.map((s) => s.url)).toEqual([`/api/payments?orderId=${id}`]);
    expect(upstreams.delivery.seen.map((s) => s.url)).toEqual([`/api/deliveries?orderId=${id}`]);
    expect(upstreams.review.seen.map((s) => s.url).sort()).toEqual(Object.keys(pages).sort());
    expect(upstreams.review.seen.every((s) => s.headers.authorization === `Bearer ${customer}`)).toBe(true);

    upstreams.delivery.answer = (_req, res) => res.writeHead(500).end();
    const degraded = (await (await send('GET', `/api/orders/${id}/summary`, customer)).json()) as { delivery: unknown; degraded: string[] };
    expect([degraded.delivery, degraded.degraded]).toEqual([null, ['delivery']]);

    // An order not delivered has no reviews: none are read.
    upstreams.review.seen = [];
    upstreams.order.answer = (_req, res) => res.end(JSON.stringify({ ...delivered, status: 'SHIPPED', history: [] }));
    const shipped = (await (await send('GET', `/api/orders/${id}/summary`, customer)).json()) as { reviews: unknown[]; degraded: string[] };
    expect([shipped.reviews, upstreams.review.seen]).toEqual([[], []]);

    upstreams.payment.seen = [];
    upstreams.order.answer = (_req, res) => res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404,"detail":"no order"}');
    const missing = await send('GET', `/api/orders/${id}/summary`, customer);
    expect([missing.status, missing.headers.get('content-type'), await missing.text()]).toEqual([404, 'application/problem+json', '{"status":404,"detail":"no order"}']);
    // Not the caller's order (or none): nothing else is fetched.
    expect(upstreams.payment.seen).toEqual([]);
  });

  it('degrades a part that does not answer within the parts deadline, without waiting for it', async () => {
    const id = randomUUID();
    upstreams.order.answer = (_req, res) => res.end(JSON.stringify({ id, status: 'PENDING', items: [], history: [] }));
    upstreams.payment.answer = () => undefined;
    upstreams.delivery.answer = (_req, res) => res.end('[]');
    const started = performance.now();
    const res = await send('GET', `/api/orders/${id}/summary`, customer);
    expect((await res.json()) as unknown).toMatchObject({ payment: null, degraded: ['payment'] });
    // The payment read's own timeout (300 ms here) bounds it, well inside the 500 ms parts deadline.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('forwards identity, trace and idempotency headers only, and passes the answer back without hop-by-hop headers', async () => {
    upstreams.order.answer = (_req, res) => {
      res.writeHead(202, {
        'content-type': 'application/json',
        location: '/api/orders/abc',
        connection: 'keep-alive, x-hop',
        'x-hop': 'secret',
        'keep-alive': 'timeout=60',
        'x-request-id': 'answer-1',
      });
      res.end('{"id":"abc"}');
    };
    const res = await send('POST', '/api/orders', customer, { items: [] }, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=1',
      'idempotency-key': 'key-1',
      cookie: 'session=1',
      'x-internal-secret': 'no',
    });
    expect([res.status, res.headers.get('location'), res.headers.get('x-hop'), res.headers.get('x-request-id')]).toEqual([202, '/api/orders/abc', null, 'answer-1']);
    expect(res.headers.get('keep-alive')).not.toBe('timeout=60');
    const seen = upstreams.order.seen[0].headers;
    expect(seen).toMatchObject({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=1',
      'idempotency-key': 'key-1',
      'content-type': 'application/json',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(seen.cookie).toBeUndefined();
    expect(seen['x-internal-secret']).toBeUndefined();
  });

  it('passes a problem answer through byte for byte', async () => {
    const problem = '{"type":"about:blank","title":"Conflict","status":409,"detail":"sku taken"}';
    upstreams.catalog.answer = (_req, res) => res.writeHead(409, { 'content-type': 'application/problem+json' }).end(problem);
    const res = await send('POST', '/api/products', admin, { sku: 'dup' });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([409, 'application/problem+json', problem]);
  });

  it('answers 504 with Retry-After when a service is too slow, and really cancels the call', async () => {
    upstreams.delivery.answer = () => undefined;
    const started = performance.now();
    const res = await send('GET', `/api/deliveries?orderId=${randomUUID()}`, customer);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ status: 504, upstream: 'delivery', reason: 'TIMEOUT' });
    await new Promise((r) => setTimeout(r, 100));
    expect(upstreams.delivery.closedBeforeAnswer).toBe(1);
  });

  it('refuses a body over 1 MiB with 413 before any service is called', async () => {
    const res = await fetch(`${url}/api/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'x', description: 'y'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(upstreams.catalog.seen).toEqual([]);
  });

  it('answers 404 for a file Swagger UI does not have, whatever its name', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'nope.js']) {
      const res = await send('GET', `/docs/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('does not serve /metrics on the public listener', async () => {
    const res = await send('GET', '/metrics');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('circuit_breaker');
  });

  it("exports metrics Prometheus's own linter finds nothing wrong with", async () => {
    const text = await registry.metrics();
    expect(text).toContain('# TYPE gateway_composition_degraded_total counter');
    expect(promtoolProblems(text)).toEqual([]);
  });

  it('has no demo issuer unless AUTH_DEMO_ISSUER is true', async () => {
    const res = await send('POST', '/api/auth/token', undefined, {});
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
