import { Pool } from 'undici';
import type { OrderView, Page, ProductView } from '@shop/shared/contracts';
import type { Outcome } from './latency-stats';

export interface Answer<T = unknown> {
  /** HTTP status, or the error's code when no answer came. */
  outcome: Outcome;
  ok: boolean;
  /**
   * The gateway said "not now" (429, or 503 with Retry-After: over a rate limit, a bulkhead full, a breaker
   * open): shedding load as designed, reported apart from failures; the client waits `retryAfterMs`.
   */
  refused: boolean;
  retryAfterMs?: number;
  body?: T;
  ms: number;
  /** Epoch ms when the answer was complete. */
  at: number;
}

export const SHIPPING_ADDRESS = { name: 'Load Tester', line1: '1 Benchmark Road', city: 'Localhost', postalCode: '12345', country: 'DE' };

/**
 * The gateway's public contract as a storefront calls it, over one
 * keep-alive pool. Every call resolves (never rejects) with its outcome and
 * timing, so a failed request is counted, not thrown.
 */
/** Addresses anonymous browsing is spread over (TEST-NET-2, a header only: every request still goes to the target). */
const VISITORS = 200;

export class ShopClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    connections: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.pool = new Pool(origin, { connections, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 });
  }

  async call<T>(method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown; expect?: number[] } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    // Anonymous browsing comes from many visitors, as a storefront or an ingress in front of the gateway forwards
    // them (the local gateway believes X-Forwarded-For from loopback): its per-address limit applies per visitor.
    else headers['x-forwarded-for'] = `198.51.100.${1 + Math.floor(Math.random() * VISITORS)}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    try {
      const res = await this.pool.request({
        method,
        path,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.body.text();
      const ms = performance.now() - started;
      const expect = options.expect ?? [200];
      let body: T | undefined;
      if (text && String(res.headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(text) as T;
        } catch {
          // a broken body counts by its status; the caller sees no body
        }
      }
      const retryAfter = Number(res.headers['retry-after']);
      const refused = res.statusCode === 429 || (res.statusCode === 503 && Number.isFinite(retryAfter));
      const retryAfterMs = refused ? Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000 : undefined;
      return { outcome: res.statusCode, ok: expect.includes(res.statusCode), refused, retryAfterMs, body, ms, at: Date.now() };
    } catch (err) {
      // undici names its errors by a string code; an aborted request is a DOMException whose code is a number.
      const e = err as { code?: unknown; name?: string };
      const outcome = typeof e.code === 'string' ? e.code : e.name === 'TimeoutError' ? 'timeout' : (e.name ?? 'error');
      return { outcome, ok: false, refused: false, ms: performance.now() - started, at: Date.now() };
    }
  }

  async ready(): Promise<boolean> {
    const answer = await this.call('GET', '/health/ready');
    return answer.ok;
  }

  /** A demo token from the gateway's issuer (AUTH_DEMO_ISSUER=true, as `npm start` runs it). */
  async token(customerId: string, role: 'customer' | 'admin'): Promise<string> {
    const answer = await this.call<{ accessToken: string }>('POST', '/api/auth/token', { body: { customerId, role } });
    if (!answer.ok || !answer.body?.accessToken) {
      throw new Error(
        answer.outcome === 404
          ? `${this.origin} has no demo token issuer (POST /api/auth/token is 404): start the gateway with AUTH_DEMO_ISSUER=true, as npm start does`
          : `POST /api/auth/token: ${answer.outcome}`,
      );
    }
    return answer.body.accessToken;
  }

  listProducts(query: { q?: string; limit?: number; cursor?: string } = {}): Promise<Answer<Page<ProductView>>> {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    const qs = params.toString();
    return this.call('GET', `/api/products${qs ? `?${qs}` : ''}`);
  }

  product(id: string): Promise<Answer<ProductView>> {
    return this.call('GET', `/api/products/${id}`);
  }

  reviews(productId: string): Promise<Answer<Page<unknown>>> {
    return this.call('GET', `/api/products/${productId}/reviews`);
  }

  createProduct(adminToken: string, product: { sku: string; name: string; description: string; priceCents: number; stock: number }): Promise<Answer<ProductView>> {
    return this.call('POST', '/api/products', { token: adminToken, body: { ...product, currency: 'EUR' }, expect: [201] });
  }

  placeOrder(token: string, items: Array<{ productId: string; quantity: number }>, paymentToken: string): Promise<Answer<OrderView>> {
    return this.call('POST', '/api/orders', { token, body: { items, paymentToken, shippingAddress: SHIPPING_ADDRESS }, expect: [201, 202] });
  }

  order(token: string, id: string): Promise<Answer<OrderView>> {
    return this.call('GET', `/api/orders/${id}`, { token });
  }

  review(token: string, productId: string, orderId: string, rating: number): Promise<Answer<unknown>> {
    return this.call('POST', `/api/products/${productId}/reviews`, { token, body: { orderId, rating, comment: 'Written by npm run load' }, expect: [201] });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
