import { Client } from 'pg';
import { authHeaders, eventually, TestPlatform } from '@shop/testing';
import type { OrderStatus, OrderView, ProductView } from '@shop/shared/contracts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small client for the services' REST contract, as a storefront would call it. */
export class Api {
  constructor(private readonly platform: TestPlatform) {}

  async call<T = unknown>(
    service: Parameters<TestPlatform['url']>[0],
    method: string,
    path: string,
    options: { as?: string; role?: 'customer' | 'admin' | 'service'; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = options.as ? await authHeaders(options.as, options.role ?? 'customer') : {};
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.platform.url(service)}${path}`, {
      method,
      headers: { ...headers, ...options.headers },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  async createProduct(input: { name?: string; priceCents?: number; stock: number }): Promise<ProductView> {
    const res = await this.call<ProductView>('catalog', 'POST', '/api/products', {
      as: 'admin-1',
      role: 'admin',
      body: { sku: `SKU-${Math.random().toString(36).slice(2)}`, name: input.name ?? 'Thing', priceCents: input.priceCents ?? 1000, currency: 'EUR', stock: input.stock },
    });
    if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async stockOf(productId: string): Promise<number> {
    return (await this.call<ProductView>('catalog', 'GET', `/api/products/${productId}`)).body.stock;
  }

  /** Places an order once the order service's snapshot knows every product (it learns them from catalog events). */
  async placeOrder(
    customer: string,
    items: Array<{ productId: string; quantity: number }>,
    options: { token?: string; idempotencyKey?: string } = {},
  ): Promise<ApiResponse<OrderView>> {
    const body = { items, paymentToken: options.token ?? 'tok_visa', shippingAddress: ADDRESS };
    const headers: Record<string, string> = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {};
    return eventually(async () => {
      const res = await this.call<OrderView>('order', 'POST', '/api/orders', { as: customer, body, headers });
      if (res.status === 422 && JSON.stringify(res.body).includes('unknown product')) throw new Error('snapshot not there yet');
      return res;
    });
  }

  async order(customer: string, id: string): Promise<OrderView> {
    return (await this.call<OrderView>('order', 'GET', `/api/orders/${id}`, { as: customer })).body;
  }

  async waitForStatus(customer: string, id: string, status: OrderStatus, timeoutMs = 30_000): Promise<OrderView> {
    return eventually(async () => {
      const order = await this.order(customer, id);
      if (order.status !== status) throw new Error(`order ${id} is ${order.status}, waiting for ${status}`);
      return order;
    }, timeoutMs);
  }
}

export const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** Rows that must not change when events are redelivered, across every service's schema. */
export async function counts(platform: TestPlatform): Promise<Record<string, number>> {
  const queries: Array<[Parameters<TestPlatform['db']['urlFor']>[0], string, string]> = [
    ['catalog', 'reservations', 'select count(*)::int as n from stock_reservations'],
    ['catalog', 'stock', 'select coalesce(sum(stock), 0)::int as n from products'],
    ['order', 'history', 'select count(*)::int as n from order_status_history'],
    ['payment', 'payments', 'select count(*)::int as n from payments'],
    ['payment', 'refunds', "select count(*)::int as n from payments where status = 'REFUNDED'"],
    ['delivery', 'deliveries', 'select count(*)::int as n from deliveries'],
    ['review', 'grants', 'select count(*)::int as n from review_grants'],
  ];
  const result: Record<string, number> = { unpublished: 0 };
  for (const [service, name, sql] of queries) {
    const client = new Client({ connectionString: platform.db.urlFor(service) });
    await client.connect();
    result[name] = (await client.query<{ n: number }>(sql)).rows[0].n;
    await client.end();
  }
  for (const service of ['catalog', 'order', 'payment', 'delivery', 'review'] as const) {
    const client = new Client({ connectionString: platform.db.urlFor(service) });
    await client.connect();
    result.unpublished += (await client.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null')).rows[0].n;
    await client.end();
  }
  return result;
}
