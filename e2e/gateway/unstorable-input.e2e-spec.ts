import { randomUUID } from 'node:crypto';
import { AppProcess, TestPlatform, tokenFor } from '@shop/testing';
import { Answer, call, startGateway } from './gateway-process';

interface Breaker {
  state: string;
  stats: { failures: number };
}

/** A route as the gateway's own OpenAPI document publishes it: every public route of the contract. */
interface Route {
  method: string;
  /** `{id}` style, as OpenAPI spells parameters. */
  path: string;
  /** Who may call it: `x-access` in the document (public, token, customer, admin). */
  access: string;
}

/** A JSON body with a NUL inside, spelt as JSON spells it, so it reaches the parser as the client sent it. */
const NUL_BODY = '{"name":"tea\\u0000pot","line1":"\\u0000"}';
/** `2026-01-01T00:00:00.000Z|<uuid>` as the lists hand cursors out, in year 0. */
const YEAR_ZERO_CURSOR = Buffer.from(`0000-01-01T00:00:00.000Z|${randomUUID()}`).toString('base64url');

/**
 * Input no database of the platform can store (a NUL, half a surrogate pair,
 * a time in year 0) at every public route of the contract: a 400 that changes
 * nothing, and a burst of it leaves every breaker closed for the customers who
 * come next. Before, such input reached Postgres, came back as 500, and three
 * of them opened a breaker every customer shares.
 */
describe('api-gateway: input the database cannot store (real services)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let admin: string;
  let alice: string;
  let bob: string;
  let productId: string;
  let routes: Route[];

  const api = <T = unknown>(method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer<T>> => call<T>(gateway.url, method, path, options);
  const breakers = async () => (await api<Record<string, Breaker>>('GET', '/api/admin/breakers', { token: admin })).body;
  const tokenOf = (route: Route) => (route.access === 'admin' ? admin : route.access === 'public' ? undefined : alice);
  const pathOf = (route: Route) => route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'name' ? 'product-snapshots' : productId));
  const named = (list: Route[]) => list.map((route): [string, Route] => [`${route.method} ${route.path}`, route]);

  beforeAll(async () => {
    platform = await TestPlatform.start({ apps: ['catalog', 'order', 'payment', 'delivery', 'review'] });
    gateway = await startGateway({ ...platform.gatewayEnv(), AUTH_DEMO_ISSUER: 'true', BREAKER_CONSECUTIVE_FAILURES: '3' });
    admin = await tokenFor('ops-1', 'admin');
    alice = await tokenFor(`alice-${randomUUID()}`);
    bob = await tokenFor(`bob-${randomUUID()}`);
    const product = await api<{ id: string }>('POST', '/api/products', { token: admin, body: { sku: `NUL-${randomUUID()}`, name: 'Kettle', priceCents: 100, currency: 'EUR', stock: 100 } });
    expect(product.status).toBe(201);
    productId = product.body.id;
    // Every route the contract publishes, from the gateway's own document: a route added later is covered too.
    const doc = await api<{ paths: Record<string, Record<string, { 'x-access': string }>> }>('GET', '/docs/json');
    routes = Object.entries(doc.body.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, op]): Route => ({ method: method.toUpperCase(), path, access: op['x-access'] })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  function expectRefused(answer: Answer<{ status?: number; errors?: unknown[] }>, what: string): void {
    expect({ what, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ what, status: 400, type: expect.stringContaining('application/problem+json') });
    expect(answer.body.errors?.length).toBeGreaterThan(0);
  }

  it('answers a NUL in the query of every route 400', async () => {
    for (const [name, route] of named(routes)) {
      expectRefused(await api(route.method, `${pathOf(route)}?q=%00`, { token: tokenOf(route), raw: route.method === 'GET' ? undefined : '{}' }), `${name} query`);
    }
  });

  it('answers a NUL in the body of every route that takes one 400', async () => {
    for (const [name, route] of named(routes.filter((r) => r.method !== 'GET'))) {
      expectRefused(await api(route.method, pathOf(route), { token: tokenOf(route), raw: NUL_BODY }), `${name} body`);
    }
  });

  it('answers a NUL in the path of every route with an id 400', async () => {
    for (const [name, route] of named(routes.filter((r) => r.path.includes('{id}')))) {
      const path = route.path.replace('{id}', '%00');
      expectRefused(await api(route.method, path, { token: tokenOf(route), raw: route.method === 'GET' ? undefined : '{}' }), `${name} path`);
    }
  });

  it('refuses half a surrogate pair in a body, which jsonb cannot store', async () => {
    // JSON.stringify spells the lone half as the escape \ud83d, which JSON.parse turns back into it.
    const order = { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok', shippingAddress: { name: 'A\ud83d', line1: 'x', city: 'y', postalCode: '1', country: 'KR' } };
    expectRefused(await api('POST', '/api/orders', { token: alice, body: order }), 'surrogate');
  });

  it('refuses times in year 0 and cursors pointing there, at every route that takes one', async () => {
    for (const path of ['/api/products', '/api/orders', `/api/products/${productId}/reviews`]) {
      expectRefused(await api('GET', `${path}?cursor=${YEAR_ZERO_CURSOR}`, { token: alice }), `${path} cursor`);
    }
    expectRefused(await api('POST', '/api/admin/events/republish', { token: admin, body: { service: 'order', since: '0000-01-01T00:00:00Z' } }), 'republish since');
    expectRefused(
      await api('POST', '/api/admin/read-models/product-snapshots/rebuild', { token: admin, body: { source: 'api', since: '0000-01-01T00:00:00Z' } }),
      'rebuild since',
    );
  });

  it('answers a burst of such requests 400 and leaves every breaker closed: the next customer is served', async () => {
    for (let i = 0; i < 10; i++) expectRefused(await api('GET', '/api/products?q=%00'), 'anonymous search');
    for (const field of ['name', 'line1']) {
      for (let i = 0; i < 3; i++) {
        const body = { items: [{ productId, quantity: 1 }], paymentToken: 'tok_ok', shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'KR', [field]: 'x\u0000y' } };
        expectRefused(await api('POST', '/api/orders', { token: alice, body }), `order ${field}`);
      }
    }
    for (let i = 0; i < 3; i++) {
      expectRefused(
        await api('POST', '/api/orders', { token: alice, body: { items: [{ productId, quantity: 1 }], paymentToken: 'tok\u0000', shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'KR' } } }),
        'payment token',
      );
    }
    for (const [name, breaker] of Object.entries(await breakers())) expect({ name, state: breaker.state, failures: breaker.stats.failures }).toEqual({ name, state: 'closed', failures: 0 });
    expect((await api('GET', '/api/products?q=kettle')).status).toBe(200);
    expect((await api('GET', '/api/orders', { token: bob })).status).toBe(200);
    // Nothing of the refused orders was stored.
    expect((await api<{ items: unknown[] }>('GET', '/api/orders', { token: alice })).body.items).toEqual([]);
  });

  it('refuses the same input at a service called directly, not only at the gateway', async () => {
    const direct = await call<{ errors?: unknown[] }>(platform.url('catalog'), 'GET', '/api/products?q=%00');
    expectRefused(direct, 'catalog directly');
  });
});
