import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryView, OrderView, PaymentView, ProductView } from '@shop/shared/contracts';
import { eventually, freePort, infra, OtlpReceiver, uniqueSuffix, workspaceRoot } from '@shop/testing';
import { Answer, call } from '../gateway/gateway-process';

interface Stack {
  rootDir: string;
  env: Record<string, string>;
  project: string;
  files: string[];
}

interface ComposeStack {
  compose(stack: Stack, args: string[]): string;
  builtImages(rootDir: string, env?: Record<string, string>): string[];
  up(stack: Stack, services: string[]): void;
  down(stack: Stack): void;
  leftovers(stack: Stack): { containers: string[]; networks: string[]; volumes: string[] };
  waitForHttp(url: string, timeoutMs: number): Promise<void>;
}

interface Docker {
  docker(env: Record<string, string>, args: string[]): string;
}

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/**
 * docker-compose.yml for real: one image per app built from this
 * repository's Dockerfile (Node 24), Postgres and Kafka from their pinned
 * images (or the stand-ins tools/infra/standins.ts builds where no registry
 * serves them), started as a person starts it, with the secrets the stack makes
 * itself. Driven only through the published ports of the gateway and the
 * storefront, then taken down with its volumes. docker-compose.smoke.yml
 * sends the apps' traces to a receiver in this test instead of Zipkin.
 */
describe('docker compose (one image per app, real containers)', () => {
  const rootDir = workspaceRoot();
  const stacks = infra<ComposeStack>('compose-stack');
  const { docker } = infra<Docker>('docker');
  const engineEnv: Record<string, string> = process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {};
  const images = stacks.builtImages(rootDir);
  let stack: Stack;
  let receiver: OtlpReceiver;
  let gateway: string;
  let storefront: string;
  let imagesThere: string[] = [];
  let volumesBefore: string[] = [];
  let admin: string;

  const api = <T = unknown>(method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer<T>> => call<T>(gateway, method, path, options);
  const token = async (body: { customerId?: string; role?: 'customer' | 'admin' }) => {
    const res = await api<{ accessToken: string }>('POST', '/api/auth/token', { body });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  };
  const createProduct = async (stock: number) => {
    const res = await api<ProductView>('POST', '/api/products', {
      token: admin,
      body: { sku: `SMOKE-${randomUUID()}`, name: 'Smoke lamp', priceCents: 2500, currency: 'EUR', stock },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  // The order service learns products from catalog events: until then it refuses them as unknown.
  const placeOrder = (customer: string, productId: string) =>
    eventually(async () => {
      const res = await api<OrderView>('POST', '/api/orders', { token: customer, body: { items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS } });
      if (res.status !== 202) throw new Error(`order not accepted yet: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    }, 30_000);
  const waitForStatus = (customer: string, id: string, status: OrderView['status']) =>
    eventually(
      async () => {
        const order = (await api<OrderView>('GET', `/api/orders/${id}`, { token: customer })).body;
        if (order.status !== status) throw new Error(`order ${id} is ${order.status}, waiting for ${status}`);
        return order;
      },
      60_000,
      200,
    );
  const exec = (service: string, command: string[]) => stacks.compose(stack, ['exec', '-T', service, ...command]).trim();

  beforeAll(async () => {
    // The receiver listens where containers reach the host: the default bridge's gateway (compose's host-gateway).
    const hostGateway = docker(engineEnv, ['network', 'inspect', 'bridge', '--format', '{{range .IPAM.Config}}{{.Gateway}}{{end}}']).trim();
    receiver = await OtlpReceiver.start(hostGateway);
    // Free ports: 3000 and 4200 belong to whatever else runs on this machine (npm start, other test runs).
    const ports = { SHOP_GATEWAY_PORT: String(await freePort()), SHOP_STOREFRONT_PORT: String(await freePort()) };
    gateway = `http://127.0.0.1:${ports.SHOP_GATEWAY_PORT}`;
    storefront = `http://127.0.0.1:${ports.SHOP_STOREFRONT_PORT}`;
    stack = {
      rootDir,
      env: { ...engineEnv, ...ports, SMOKE_OTLP_PORT: String(receiver.port) },
      project: `shop-smoke-${uniqueSuffix()}`,
      files: [join(__dirname, 'docker-compose.smoke.yml')],
    };
    imagesThere = images.filter((image) => docker(engineEnv, ['image', 'ls', '--quiet', image]).trim() !== '');
    // Anonymous volumes (the images' VOLUME folders) carry no project label: compare the engine's list instead.
    volumesBefore = docker(engineEnv, ['volume', 'ls', '--quiet']).split('\n').filter(Boolean);
    const started = Date.now();
    stacks.up(stack, ['storefront']);
    await stacks.waitForHttp(`${gateway}/health/ready`, 120_000);
    await stacks.waitForHttp(`${storefront}/health/ready`, 60_000);
    process.stdout.write(`[compose] ${stack.project} built and up in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const sizes = images.map((image) => `${image} ${(Number(docker(engineEnv, ['image', 'inspect', '--format', '{{.Size}}', image])) / 1e6).toFixed(0)} MB`);
    process.stdout.write(`[compose] one image per app: ${sizes.join(', ')}; the engine at its peak:\n${docker(engineEnv, ['system', 'df'])}\n`);
    admin = await token({ customerId: 'smoke-ops', role: 'admin' });
  }, 30 * 60_000);

  afterAll(async () => {
    // Also when a test failed half-way: nothing of the stack may outlive the run.
    if (stack) stacks.down(stack);
    if (stack) for (const image of images.filter((i) => !imagesThere.includes(i))) docker(engineEnv, ['image', 'rm', '--force', image]);
    await receiver?.close();
  }, 5 * 60_000);

  it('runs the images built here on the Node the Dockerfile pins, with secrets of its own, published on 127.0.0.1 only', async () => {
    const pinned = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-/m.exec(readFileSync(join(rootDir, 'Dockerfile'), 'utf8'))?.[1];
    expect(exec('api-gateway', ['node', '--version'])).toBe(`v${pinned}`);
    // The one-shot `secrets` service made them: 256 random bits each, and each container holds the ones it reads.
    expect(exec('api-gateway', ['find', '/run/shop-secrets', '-type', 'f'])).toBe('/run/shop-secrets/jwt/JWT_SECRET');
    expect(exec('order', ['find', '/run/shop-secrets', '-type', 'f']).split('\n').sort()).toEqual(['/run/shop-secrets/jwt/JWT_SECRET', '/run/shop-secrets/order-db/SVC_ORDER_PASSWORD']);
    const secrets = exec('order', ['sh', '-c', 'cat /run/shop-secrets/jwt/JWT_SECRET; echo; cat /run/shop-secrets/order-db/SVC_ORDER_PASSWORD']).split('\n');
    expect(secrets).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(secrets[0]).not.toBe(secrets[1]);
    // Each image holds its own app, its own packages and its version (the content hash of what it ships).
    expect(exec('api-gateway', ['ls', 'dist/apps'])).toBe('api-gateway');
    expect(exec('api-gateway', ['sh', '-c', 'test -d node_modules/fastify && ! test -e node_modules/kafkajs && ! test -e node_modules/@prisma/client && echo own'])).toBe('own');
    expect(exec('order', ['ls', 'dist/apps'])).toBe('order');
    expect(exec('order', ['cat', 'VERSION'])).toMatch(/^[0-9a-f]{12}$/);
    for (const service of ['api-gateway', 'storefront']) {
      const id = stacks.compose(stack, ['ps', '--quiet', service]).trim();
      const bindings = JSON.parse(docker(engineEnv, ['inspect', '--format', '{{json .HostConfig.PortBindings}}', id])) as Record<string, Array<{ HostIp: string }>>;
      expect(Object.values(bindings).flat().map((b) => b.HostIp)).toEqual(['127.0.0.1']);
    }
  });

  it('serves the catalog and demo tokens through the published gateway port', async () => {
    const products = await api<{ items: ProductView[]; nextCursor: string | null }>('GET', '/api/products?limit=5');
    expect(products.status).toBe(200);
    expect(Array.isArray(products.body.items)).toBe(true);
    const product = await createProduct(5);
    expect((await api<ProductView>('GET', `/api/products/${product.id}`)).body).toMatchObject({ id: product.id, stock: 5 });
    expect((await api('POST', '/api/products', { body: { sku: 'X', name: 'x', priceCents: 1, currency: 'EUR', stock: 1 } })).status).toBe(401);
  });

  it('takes an order to DELIVERED through payment and the courier', async () => {
    const customer = await token({ customerId: `smoke-${uniqueSuffix()}` });
    const product = await createProduct(3);
    const placed = await placeOrder(customer, product.id);
    const delivered = await waitForStatus(customer, placed.id, 'DELIVERED');
    expect(delivered.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect((await api<PaymentView[]>('GET', `/api/payments?orderId=${placed.id}`, { token: customer })).body.map((p) => p.status)).toEqual(['AUTHORIZED']);
    expect((await api<DeliveryView[]>('GET', `/api/deliveries?orderId=${placed.id}`, { token: customer })).body.map((d) => d.status)).toEqual(['DELIVERED']);
    expect((await api<ProductView>('GET', `/api/products/${product.id}`)).body.stock).toBe(2);
  });

  it('cancels a confirmed order: the payment is refunded and the stock released', async () => {
    const customer = await token({ customerId: `smoke-${uniqueSuffix()}` });
    const product = await createProduct(2);
    const placed = await placeOrder(customer, product.id);
    await waitForStatus(customer, placed.id, 'CONFIRMED');
    // The courier dispatches 3 s after confirmation (compose's demo pace): cancel before that.
    const cancel = await api<OrderView>('POST', `/api/orders/${placed.id}/cancel`, { token: customer });
    expect(cancel.status).toBe(202);
    const cancelled = await waitForStatus(customer, placed.id, 'CANCELLED');
    expect(cancelled.cancelReason).toBe('CUSTOMER_REQUEST');
    await eventually(async () => {
      const payments = (await api<PaymentView[]>('GET', `/api/payments?orderId=${placed.id}`, { token: customer })).body;
      expect(payments.map((p) => p.status)).toEqual(['REFUNDED']);
      expect((await api<ProductView>('GET', `/api/products/${product.id}`)).body.stock).toBe(2);
    }, 30_000);
  });

  it('serves the storefront, which proxies the API to the gateway', async () => {
    const page = await fetch(`${storefront}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<script[^>]+src="\/assets\//);
    const products = await call<{ items: ProductView[] }>(storefront, 'GET', '/api/products?limit=1');
    expect(products.status).toBe(200);
    expect(products.body.items).toHaveLength(1);
  });

  it('dead-letters a malformed event and replays it through the admin API', async () => {
    const eventId = randomUUID();
    // A record no schema accepts, sent from inside the stack (Kafka is not published): a one-off container
    // of the payment service's image, with the kafkajs it ships.
    const send = `const { Kafka } = require('kafkajs');
      const producer = new Kafka({ brokers: ['kafka:9092'], logLevel: 1 }).producer();
      producer.connect()
        .then(() => producer.send({ topic: 'order.orders.v1', messages: [{ key: '${eventId}', value: '{"broken": ', headers: { 'event-id': '${eventId}' } }] }))
        .then(() => producer.disconnect());`;
    stacks.compose(stack, ['run', '--rm', '--no-deps', '-T', '--entrypoint', 'node', 'payment', '-e', send]);
    const listed = await eventually(async () => {
      const res = await api<{ items: Array<{ id: string; eventId: string; error: string; originalTopic: string }> }>('GET', '/api/admin/dlq?service=payment', { token: admin });
      const mine = res.body.items.filter((i) => i.eventId === eventId);
      expect(mine).toHaveLength(1);
      return mine[0];
    }, 30_000);
    expect(listed).toMatchObject({ originalTopic: 'order.orders.v1', error: expect.stringContaining('not JSON') });
    const replay = await api<{ replayed: number }>('POST', '/api/admin/dlq/replay', { token: admin, body: { service: 'payment', ids: [listed.id] } });
    expect(replay.body).toEqual({ replayed: 1 });
    // Still malformed, so it is dead-lettered again, under a new id; the replayed one has left the list.
    await eventually(async () => {
      const res = await api<{ items: Array<{ id: string; eventId: string }> }>('GET', '/api/admin/dlq?service=payment', { token: admin });
      const mine = res.body.items.filter((i) => i.eventId === eventId);
      expect(mine).toHaveLength(1);
      expect(mine[0].id).not.toBe(listed.id);
    }, 30_000);
  });

  it('exports one trace per order, from the gateway through Kafka to the payment consumer', async () => {
    const trace = await eventually(() => receiver.completeTrace('api-gateway', 'payment'), 30_000);
    expect([...new Set(trace.map((s) => s.service))].sort()).toEqual(expect.arrayContaining(['api-gateway', 'order', 'payment']));
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.service)).toEqual(['api-gateway']);
  });

  it('comes down with no container, network or volume left', () => {
    stacks.down(stack);
    expect(stacks.leftovers(stack)).toEqual({ containers: [], networks: [], volumes: [] });
    const volumes = docker(engineEnv, ['volume', 'ls', '--quiet']).split('\n').filter(Boolean);
    expect(volumes.filter((v) => !volumesBefore.includes(v))).toEqual([]);
  });
});
