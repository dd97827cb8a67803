import { spawn } from 'node:child_process';
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppProcess, eventually } from '@shop/testing';
import { openApiAnswersOf, registerGateway } from './openapi-answers';

/** The compiled gateway as a real process, in front of the services its *_URL variables name. */
export async function startGateway(env: Record<string, string>): Promise<AppProcess> {
  const gateway = await AppProcess.start('api-gateway', { env });
  registerGateway(gateway.url);
  return gateway;
}

/** A local upstream that holds every request until told to answer: a service that has become slow. */
export class SlowUpstream {
  readonly held: ServerResponse[] = [];
  private readonly server = createHttpServer((_req: IncomingMessage, res: ServerResponse) => {
    this.held.push(res);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  releaseAll(body: unknown): void {
    for (const res of this.held.splice(0)) {
      if (!res.writableEnded && !res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

/** One HTTP call as a storefront makes it, timed; through a gateway, held to its OpenAPI document. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  // Whatever a gateway answers must be what its OpenAPI document says, errors included.
  const mismatch = (await openApiAnswersOf(baseUrl))?.problemWith(method, path, res.status, res.headers.get('content-type'), body);
  if (mismatch) throw new Error(mismatch);
  return { status: res.status, headers: res.headers, body: body as T, ms };
}


const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/**
 * A DELIVERED order of the customer's, made through the gateway as a shop
 * would: a product, the order (once the order service knows the product),
 * its payment, and the courier's two steps by an admin (courier delays -1).
 */
export async function deliveredOrder(baseUrl: string, tokens: { admin: string; customer: string }): Promise<{ id: string; productId: string }> {
  const product = await call<{ id: string }>(baseUrl, 'POST', '/api/products', {
    token: tokens.admin,
    body: { sku: `GW-${Math.random().toString(36).slice(2, 10)}`, name: 'Gateway Kettle', priceCents: 1250, currency: 'EUR', stock: 10 },
  });
  if (product.status !== 201) throw new Error(`creating a product: ${product.status}`);
  const order = await eventually(async () => {
    const res = await call<{ id: string }>(baseUrl, 'POST', '/api/orders', {
      token: tokens.customer,
      body: { items: [{ productId: product.body.id, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS },
    });
    if (res.status !== 202) throw new Error(`placing the order: ${res.status} (the product snapshot may not have arrived yet)`);
    return res.body;
  });
  const delivery = await eventually(async () => {
    const res = await call<Array<{ id: string }>>(baseUrl, 'GET', `/api/deliveries?orderId=${order.id}`, { token: tokens.customer });
    if (res.status !== 200 || res.body.length !== 1) throw new Error('no delivery yet');
    return res.body[0];
  });
  for (let step = 0; step < 2; step++) {
    const res = await call(baseUrl, 'POST', `/api/admin/deliveries/${delivery.id}/advance`, { token: tokens.admin });
    if (res.status !== 200) throw new Error(`advancing the delivery: ${res.status}`);
  }
  await eventually(async () => {
    const res = await call<{ status: string }>(baseUrl, 'GET', `/api/orders/${order.id}`, { token: tokens.customer });
    if (res.body.status !== 'DELIVERED') throw new Error(`order is ${res.body.status}`);
  });
  return { id: order.id, productId: product.body.id };
}

/**
 * One client hammering a URL at `rate` requests a second, whatever the
 * answers (open loop, at most 64 outstanding); run in its own process, at
 * the lowest priority, so its own work never delays the caller's timings.
 */
const FLOOD = `
const [url, token, rate, ms] = process.argv.slice(1).map((v, i) => (i >= 2 ? Number(v) : v));
const counts = {};
let outstanding = 0;
const send = () => {
  if (outstanding >= 64) return (counts.skipped = (counts.skipped || 0) + 1);
  outstanding++;
  fetch(url, { headers: { authorization: 'Bearer ' + token } })
    .then(async (res) => { await res.arrayBuffer(); counts[res.status] = (counts[res.status] || 0) + 1; })
    .catch(() => (counts.error = (counts.error || 0) + 1))
    .finally(() => outstanding--);
};
const started = Date.now();
let sent = 0;
const timer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) * rate) / 1000);
  for (; sent < due; sent++) send();
  if (Date.now() - started >= ms) {
    clearInterval(timer);
    const wait = () => (outstanding ? setTimeout(wait, 10) : process.stdout.write(JSON.stringify(counts)));
    wait();
  }
}, 5);
`;

/** Floods `url` for `ms` at `rate` a second with a bearer token; resolves with the count of answers per status. */
export function flood(url: string, token: string, options: { rate: number; ms: number }): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '19', process.execPath, '-e', FLOOD, url, token, String(options.rate), String(options.ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`flood exited with ${code}`))));
  });
}
