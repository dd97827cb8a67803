import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { createHttpApp, createMetricsRegistry } from '@shop/platform/http';
import { createTestDatabase, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { AppModule } from '../src/app.module';
import { loadCatalogConfig } from '../src/config/catalog.config';

/** The catalog app against the real Postgres and Kafka: health, a Prisma write, a Kafka round trip. */
describe('catalog service (real Postgres and Kafka)', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
    kafka = useKafka();
    const config = loadCatalogConfig({ DATABASE_URL: db.urlFor('catalog'), KAFKA_BROKERS: kafka.brokers.join(','), PORT: '3001' });
    const { registry, httpDuration } = createMetricsRegistry('catalog');
    app = await createHttpApp(AppModule.forRoot(config, registry), { name: 'catalog', logLevel: 'warn', httpDuration });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await kafka?.cleanup();
    await db?.drop();
  });

  it('is live, and ready because Postgres and Kafka both answer', async () => {
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, kafka: { status: 'ok' } } });
  });

  it('serves Prometheus metrics, including request timings per route', async () => {
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_resident_memory_bytes{app="catalog"}');
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/health\/ready"[^}]*\} \d+/);
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await fetch(`${baseUrl}/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('writes a product through Prisma into the catalog schema and round-trips it through Kafka', async () => {
    const prisma = app.get(CatalogPrismaService);
    const product = await prisma.product.create({
      data: { id: randomUUID(), sku: `SKU-${randomUUID()}`, name: 'Teapot', priceCents: 2500, currency: 'EUR', stock: 3 },
    });
    const [where] = await prisma.$queryRawUnsafe<Array<{ schema: string }>>(
      `select table_schema as schema from information_schema.tables where table_name = 'products'`,
    );
    expect(where.schema).toBe('catalog');

    const topic = kafka.topic('catalog.products.v1');
    await kafka.createTopics([topic], 3);
    const client = kafka.kafka('roundtrip');
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = client.consumer({ groupId: `${kafka.prefix}-roundtrip` });
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ key: string; value: unknown; headers: Record<string, string>; partition: number }>(
        (resolve) => {
          void consumer.run({
            eachMessage: async ({ message, partition }) => {
              const headers = Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
              );
              resolve({ key: String(message.key), value: JSON.parse(String(message.value)), headers, partition });
            },
          });
        },
      );
      const eventId = randomUUID();
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: product.id,
            value: JSON.stringify({ id: eventId, type: 'catalog.product.created', data: { ...product } }),
            headers: { 'event-id': eventId, 'event-type': 'catalog.product.created' },
          },
        ],
      });
      const message = await received;
      expect(message.key).toBe(product.id);
      expect(message.headers).toEqual({ 'event-id': eventId, 'event-type': 'catalog.product.created' });
      expect(message.value).toMatchObject({
        id: eventId,
        type: 'catalog.product.created',
        data: { id: product.id, sku: product.sku, priceCents: 2500, stock: 3 },
      });
      const stored = await prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect((message.value as { data: { name: string } }).data.name).toBe(stored.name);
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
  });
});
