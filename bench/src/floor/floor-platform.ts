import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { Pool } from 'undici';
import { Topics } from '@shop/shared/contracts';
import { appsRegistry, createTestDatabase, freePort, TestDatabase, TestKafka, useKafka, workspaceRoot } from '@shop/testing';
import { FLOOR_SCHEMAS, FLOOR_SERVICES, FloorService } from './floor-services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The floor's five processes on a database and topic prefix of their own,
 * with products in the catalog and the order service's snapshot (written
 * directly: setting up is not measured). Orders are posted to the order
 * process's intake.
 */
export class FloorPlatform {
  readonly products: Array<{ id: string; priceCents: number }> = [];
  private readonly children = new Map<FloorService, { child: ChildProcess; port: number }>();
  private readonly output: string[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly kafka: TestKafka,
  ) {}

  static async start(options: { products?: number } = {}): Promise<FloorPlatform> {
    const db = await createTestDatabase();
    const kafka = useKafka();
    const floor = new FloorPlatform(db, kafka);
    try {
      for (const service of FLOOR_SERVICES) await db.migrate(service);
      await kafka.createTopics(Object.values(Topics).map((t) => kafka.topic(t)), 3);
      await floor.seed(options.products ?? 20);
      for (const service of FLOOR_SERVICES) await floor.spawn(service);
      for (const service of FLOOR_SERVICES) await floor.waitHealthy(service);
    } catch (err) {
      await floor.stop().catch(() => undefined);
      throw new Error(`floor: ${(err as Error).message}\n${floor.output.slice(-20).join('')}`);
    }
    return floor;
  }

  get intakeUrl(): string {
    return `http://127.0.0.1:${this.children.get('order')?.port}`;
  }

  /** The order topic, as the floor names it. */
  get orderTopic(): string {
    return this.kafka.topic(Topics.orderOrders);
  }

  pids(): Record<string, number> {
    return Object.fromEntries([...this.children].map(([service, { child }]) => [service, child.pid as number]));
  }

  /** Statements, transactions and Kafka requests each process has sent so far. */
  async stats(): Promise<Record<string, { statements: number; transactions: number; kafkaRequests: number }>> {
    const out: Record<string, { statements: number; transactions: number; kafkaRequests: number }> = {};
    for (const [service, { port }] of this.children) out[service] = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as (typeof out)[string];
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.children.values()].map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await this.kafka.cleanup().catch(() => undefined);
    await this.db.drop().catch(() => undefined);
  }

  private async seed(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.products.push({ id: randomUUID(), priceCents: 199 + ((i * 7_919) % 9_800) });
    const catalog = new Client({ connectionString: this.db.urlFor('catalog'), options: '-c search_path=catalog' });
    const orders = new Client({ connectionString: this.db.urlFor('order'), options: '-c search_path=orders' });
    await catalog.connect();
    await orders.connect();
    try {
      const ids = this.products.map((p) => p.id);
      const names = this.products.map((_, i) => `Floor product ${i}`);
      const prices = this.products.map((p) => p.priceCents);
      await catalog.query(
        `insert into products (id, sku, name, description, price_cents, currency, stock, version)
         select id, 'FLOOR-' || id, name, '', price, 'EUR', 1000000000, 1 from unnest($1::uuid[], $2::text[], $3::int[]) v(id, name, price)`,
        [ids, names, prices],
      );
      await orders.query(
        `insert into product_snapshots (product_id, sku, name, price_cents, currency, product_version)
         select id, 'FLOOR-' || id, name, price, 'EUR', 1 from unnest($1::uuid[], $2::text[], $3::int[]) v(id, name, price)`,
        [ids, names, prices],
      );
    } finally {
      await catalog.end();
      await orders.end();
    }
  }

  private async spawn(service: FloorService): Promise<void> {
    const port = await freePort();
    const entry = join(workspaceRoot(), 'dist', 'bench', 'src', 'floor', 'floor.main.js');
    const child = spawn(process.execPath, [...appsRegistry().NODE_ARGS, entry, service], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: this.db.urlFor(service),
        DATABASE_SCHEMA: FLOOR_SCHEMAS[service],
        KAFKA_BROKERS: this.kafka.brokers.join(','),
        KAFKA_TOPIC_PREFIX: `${this.kafka.prefix}.`,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(`${service}: ${chunk.toString()}`);
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.set(service, { child, port });
  }

  private async waitHealthy(service: FloorService): Promise<void> {
    const entry = this.children.get(service);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!entry || entry.child.exitCode !== null) throw new Error(`${service} exited`);
      try {
        if ((await fetch(`http://127.0.0.1:${entry.port}/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${service} did not join its consumer group within 60 s`);
  }
}

const ADDRESS = { name: 'Floor Tester', line1: '1 Benchmark Road', city: 'Localhost', postalCode: '12345', country: 'DE' };

/**
 * Orders posted to the floor's intake at a steady rate for `seconds`, open
 * loop (as the platform's load generator offers them), one to three lines
 * each; `onPlaced` gets each accepted order's id and the time its answer came.
 */
export async function floorLoad(
  floor: FloorPlatform,
  options: { rate: number; seconds: number; customers: number },
  onPlaced: (order: { id: string; respondedAt: number }) => void,
): Promise<{ placed: number; failed: number }> {
  const pool = new Pool(floor.intakeUrl, { connections: 64 });
  const total = Math.round(options.rate * options.seconds);
  const started = performance.now();
  let failed = 0;
  const inFlight: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / options.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const lines = 1 + (i % 3);
      const items = Array.from({ length: lines }, (_, j) => ({ productId: floor.products[(i + j * 7) % floor.products.length].id, quantity: 1 + ((i + j) % 2) }));
      inFlight.push(
        pool
          .request({
            method: 'POST',
            path: '/orders',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ customerId: `floor-customer-${i % options.customers}`, items, paymentToken: 'tok_visa', shippingAddress: ADDRESS }),
          })
          .then(async (res) => {
            const text = await res.body.text();
            if (res.statusCode !== 202) return void failed++;
            onPlaced({ id: (JSON.parse(text) as { id: string }).id, respondedAt: Date.now() });
          })
          .catch(() => void failed++),
      );
    }
    await Promise.all(inFlight);
    return { placed: total - failed, failed };
  } finally {
    await pool.close();
  }
}
