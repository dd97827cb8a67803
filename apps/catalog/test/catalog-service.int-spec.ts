import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomUUID } from 'node:crypto';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { closeService, startServiceForTest } from '@shop/platform/service';
import { EventType, Topics } from '@shop/shared/contracts';
import { authHeaders, eventually, EventRecorder, promtoolProblems, useServiceStack } from '@shop/testing';
import { catalogService } from '../src/catalog.service';

/** The catalog service against the real Postgres and Kafka. */
describe('catalog service (real Postgres and Kafka)', () => {
  const s = useServiceStack<NestFastifyApplication>('catalog', {
    start: (env) => startServiceForTest(catalogService, env),
    stop: closeService,
    consumes: [Topics.orderOrders, Topics.reviewReviews],
    records: [Topics.catalogProducts, Topics.catalogReservations],
  });
  /** catalog.product-upserted v2, on its own topic (v1's events share its type). */
  let recorderV2: EventRecorder;
  let admin: Record<string, string>;

  const publish = (type: EventType, aggregateId: string, data: unknown, id?: string) => s.publish(type, aggregateId, data, { id });
  const createProduct = async (stock: number, priceCents = 1000) => {
    const res = await fetch(`${s.url}/api/products`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sku: `SKU-${randomUUID()}`, name: 'Teapot', priceCents, currency: 'EUR', stock }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; stock: number; sku: string };
  };
  const stockOf = async (id: string) => ((await (await fetch(`${s.url}/api/products/${id}`)).json()) as { stock: number }).stock;

  beforeAll(async () => {
    recorderV2 = new EventRecorder(s.kafka.kafka(), [s.topic(Topics.catalogProductsV2)]);
    await recorderV2.start();
    admin = await authHeaders('admin-1', 'admin');
  });

  afterAll(async () => {
    await recorderV2?.stop();
  });

  it('is live, and its status is ok because Postgres and Kafka both answer', async () => {
    expect((await fetch(`${s.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${s.url}/health/status`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, kafka: { status: 'ok' } } });
  });

  it('serves Prometheus metrics, including request timings per route and the outbox', async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toContain('process_resident_memory_bytes{app="catalog"}');
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/health\/status"[^}]*\} \d+/);
    expect(text).toMatch(/outbox_backlog\{app="catalog"\} \d+/);
    expect(text).toMatch(/messaging_consumer_lag\{topic="[^"]*order\.orders\.v1",group="[^"]*catalog",app="catalog"\} \d+/);
    expect(text).toContain('# TYPE outbox_publish_lag_seconds histogram');
    expect(text).toContain('# TYPE dead_letters_replayed_total counter');
    expect(text).toContain('# TYPE db_statements_total counter');
    // Prometheus's own linter: a counter named like a gauge or a type in a name breaks queries and dashboards.
    expect(promtoolProblems(text)).toEqual([]);
  });

  it('writes a product through Prisma into the catalog schema and round-trips its event through Kafka', async () => {
    const product = await createProduct(3, 2500);
    const stored = await s.app.get(CatalogPrismaService).product.findUniqueOrThrow({ where: { id: product.id } });
    expect(stored).toMatchObject({ sku: product.sku, priceCents: 2500, stock: 3 });
    const [{ schema }] = await s.app.get(CatalogPrismaService).$queryRawUnsafe<Array<{ schema: string }>>(
      `select table_schema as schema from information_schema.tables where table_name = 'products'`,
    );
    expect(schema).toBe('catalog');

    const record = await s.recorder.waitFor('catalog.product-upserted', product.id);
    expect(record.key).toBe(product.id);
    expect(record.headers).toMatchObject({ 'event-id': record.event.id, 'event-type': 'catalog.product-upserted' });
    expect(record.event).toMatchObject({
      type: 'catalog.product-upserted',
      version: 1,
      source: 'catalog',
      aggregateId: product.id,
      aggregateVersion: 1,
      data: { productId: product.id, sku: product.sku, name: 'Teapot', priceCents: 2500, currency: 'EUR', productVersion: 1 },
    });
  });

  it('refuses product writes without a token (401), from a customer (403), with bad input (400), and a duplicate sku (409)', async () => {
    const body = JSON.stringify({ sku: 'X-1', name: 'X', priceCents: 1, currency: 'EUR', stock: 1 });
    const noToken = await fetch(`${s.url}/api/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');
    const customer = await fetch(`${s.url}/api/products`, { method: 'POST', headers: await authHeaders('c-1'), body });
    expect(customer.status).toBe(403);
    const bad = await fetch(`${s.url}/api/products`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sku: '', name: 'X', priceCents: -1, currency: 'euro', stock: 1.5, colour: 'red' }),
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['(body)', 'currency', 'priceCents', 'sku', 'stock']);
    expect((await fetch(`${s.url}/api/products`, { method: 'POST', headers: admin, body })).status).toBe(201);
    const dup = await fetch(`${s.url}/api/products`, { method: 'POST', headers: admin, body });
    expect(dup.status).toBe(409);
  });

  it('publishes nothing for a product refused as a duplicate sku', async () => {
    const sku = `DUP-${randomUUID()}`;
    const body = JSON.stringify({ sku, name: 'Dup', priceCents: 1, currency: 'EUR', stock: 1 });
    const first = (await (await fetch(`${s.url}/api/products`, { method: 'POST', headers: admin, body })).json()) as { id: string };
    expect((await fetch(`${s.url}/api/products`, { method: 'POST', headers: admin, body })).status).toBe(409);
    // The relay publishes in commit order: once a later product's event is here, a refused one's would be too.
    const later = await createProduct(1);
    await s.recorder.waitFor('catalog.product-upserted', later.id);
    const bySku = s.recorder.of('catalog.product-upserted').filter((e) => (e.event.data as { sku: string }).sku === sku);
    expect(bySku.map((e) => e.event.aggregateId)).toEqual([first.id]);
  });

  it('lists newest first with keyset pages and search', async () => {
    const a = await createProduct(1);
    const b = await createProduct(1);
    const first = (await (await fetch(`${s.url}/api/products?limit=1`)).json()) as { items: Array<{ id: string }>; nextCursor: string };
    expect(first.items.map((p) => p.id)).toEqual([b.id]);
    const second = (await (await fetch(`${s.url}/api/products?limit=1&cursor=${first.nextCursor}`)).json()) as { items: Array<{ id: string }> };
    expect(second.items.map((p) => p.id)).toEqual([a.id]);
    expect((await fetch(`${s.url}/api/products?limit=0`)).status).toBe(400);
    expect((await fetch(`${s.url}/api/products?cursor=nonsense`)).status).toBe(400);
    expect((await fetch(`${s.url}/api/products/not-a-uuid`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/products/${randomUUID()}`)).status).toBe(404);
  });

  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const putPicture = (id: string, body: Buffer | string, contentType: string, headers = admin) =>
    fetch(`${s.url}/api/products/${id}/picture`, { method: 'PUT', headers: { ...headers, 'content-type': contentType }, body });
  const pictureRows = async (id: string) =>
    (await s.app.get(CatalogPrismaService).$queryRawUnsafe<Array<{ n: number }>>('select count(*)::int as n from product_pictures where product_id = $1::uuid', id))[0].n;

  it('stores an admin\'s picture in its schema, serves it with its etag and caching headers, and announces it in v2 (v1 too, in its window)', async () => {
    const res = await fetch(`${s.url}/api/products`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sku: `PIC-${randomUUID()}`, name: 'Pictured kettle', priceCents: 1999, currency: 'EUR', stock: 1, category: 'kitchen' }),
    });
    const product = (await res.json()) as { id: string; category: string; picture: null };
    expect(product).toMatchObject({ category: 'kitchen', picture: null });
    expect((await fetch(`${s.url}/api/products/${product.id}/picture`)).status).toBe(404);

    const put = await putPicture(product.id, PNG, 'image/png');
    expect(put.status).toBe(200);
    const etag = createHash('sha256').update(PNG).digest('hex');
    expect(await put.json()).toMatchObject({ picture: { url: `/api/products/${product.id}/picture`, etag } });

    const got = await fetch(`${s.url}/api/products/${product.id}/picture`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('etag')).toBe(`"${etag}"`);
    expect(got.headers.get('cache-control')).toContain('max-age=');
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${s.url}/api/products/${product.id}/picture`, { headers: { 'if-none-match': `"${etag}"` } })).status).toBe(304);

    await eventually(() => expect(recorderV2.of('catalog.product-upserted', product.id).map((e) => e.event.aggregateVersion)).toEqual([1, 2]));
    const [created, pictured] = recorderV2.of('catalog.product-upserted', product.id).map((e) => e.event);
    expect(created).toMatchObject({ version: 2, data: { category: 'kitchen', picture: null, productVersion: 1 } });
    expect(pictured).toMatchObject({ version: 2, data: { category: 'kitchen', picture: { path: `/api/products/${product.id}/picture`, etag } } });
    await eventually(() => expect(s.recorder.of('catalog.product-upserted', product.id).map((e) => e.event.version)).toEqual([1, 1]));
    expect(s.recorder.of('catalog.product-upserted', product.id)[1].event.data).not.toHaveProperty('picture');

    const exported = (await (await fetch(`${s.url}/api/exports/products?limit=1000`, { headers: admin })).json()) as { items: Array<{ productId: string }> };
    expect(exported.items.find((i) => i.productId === product.id)).toMatchObject({ category: 'kitchen', picture: { etag } });
  });

  it('refuses a bad picture with a 400 problem and stores nothing: not an image, an image under another type, too large, empty, not a body', async () => {
    const product = await createProduct(1);
    const refused = [
      await putPicture(product.id, 'just some text, not a picture', 'image/png'),
      await putPicture(product.id, PNG, 'image/jpeg'),
      await putPicture(product.id, Buffer.concat([PNG, Buffer.alloc(600 * 1024)]), 'image/png'),
      await putPicture(product.id, Buffer.alloc(0), 'image/webp'),
      await fetch(`${s.url}/api/products/${product.id}/picture`, { method: 'PUT', headers: admin, body: JSON.stringify({ picture: 'x' }) }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await pictureRows(product.id)).toBe(0);
    expect(await (await fetch(`${s.url}/api/products/${product.id}`)).json()).toMatchObject({ picture: null });
    expect((await putPicture(product.id, PNG, 'image/png', await authHeaders('c-1'))).status).toBe(403);
    expect((await putPicture(randomUUID(), PNG, 'image/png')).status).toBe(404);
    expect(await pictureRows(product.id)).toBe(0);
    // Only the creation was announced: the relay publishes in commit order, so a later product's event tells.
    const later = await createProduct(1);
    await recorderV2.waitFor('catalog.product-upserted', later.id);
    expect(recorderV2.of('catalog.product-upserted', product.id)).toHaveLength(1);
  });

  it('searches the full text, most relevant first, filtered by category and price, in keyset pages', async () => {
    const word = `zq${randomUUID().slice(0, 8)}`;
    const make = async (name: string, description: string, category: string, priceCents: number) => {
      const res = await fetch(`${s.url}/api/products`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ sku: `S-${randomUUID()}`, name, description, priceCents, currency: 'EUR', stock: 1, category }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    const inName = await make(`${word} kettle`, 'boils water', 'kitchen', 3000);
    const inDescription = await make('Teapot', `pairs well with a ${word}`, 'kitchen', 1500);
    const otherCategory = await make(`${word} hose`, `a ${word} for the garden`, 'garden', 500);
    type Page = { items: Array<{ id: string }>; nextCursor: string | null };
    const list = async (query: string) => (await (await fetch(`${s.url}/api/products?${query}`)).json()) as Page;

    expect((await list(`q=${word}`)).items.map((p) => p.id)).toEqual([otherCategory, inName, inDescription]);
    expect((await list(`q=${word}&category=kitchen`)).items.map((p) => p.id)).toEqual([inName, inDescription]);
    expect((await list(`q=${word}&minPriceCents=1000&maxPriceCents=2000`)).items.map((p) => p.id)).toEqual([inDescription]);
    expect((await list(`q=${word} -hose`)).items.map((p) => p.id)).toEqual([inName, inDescription]);
    const seen: string[] = [];
    let page = await list(`q=${word}&limit=1`);
    for (;;) {
      seen.push(...page.items.map((p) => p.id));
      if (!page.nextCursor) break;
      page = await list(`q=${word}&limit=1&cursor=${page.nextCursor}`);
    }
    expect(seen).toEqual([otherCategory, inName, inDescription]);
    expect((await list('category=garden&limit=100')).items.map((p) => p.id)).toContain(otherCategory);
    const categories = (await (await fetch(`${s.url}/api/categories`)).json()) as { items: Array<{ name: string; productCount: number }> };
    expect(categories.items.map((c) => c.name)).toEqual(expect.arrayContaining(['garden', 'kitchen']));
    // A plain cursor is not a search cursor, nor the other way round; bad filters are 400s.
    const plain = await list('limit=1');
    expect((await fetch(`${s.url}/api/products?q=${word}&cursor=${plain.nextCursor}`)).status).toBe(400);
    expect((await fetch(`${s.url}/api/products?minPriceCents=5&maxPriceCents=4`)).status).toBe(400);
    expect((await fetch(`${s.url}/api/products?category=Not%20A%20Category`)).status).toBe(400);
  });

  it('reserves all items of an order once, even when the event arrives twice', async () => {
    const p1 = await createProduct(5);
    const p2 = await createProduct(5);
    const orderId = randomUUID();
    const data = { orderId, customerId: 'c-1', items: [{ productId: p1.id, quantity: 2, unitPriceCents: 1000 }, { productId: p2.id, quantity: 5, unitPriceCents: 1000 }], totalCents: 7000, currency: 'EUR' };
    const placed = await publish('order.placed', orderId, data);
    await publish('order.placed', orderId, data, placed.id); // redelivery of the same event
    const reserved = await s.recorder.waitFor('catalog.stock-reserved', orderId);
    expect(reserved.event.data).toEqual({ orderId, items: [{ productId: p1.id, quantity: 2 }, { productId: p2.id, quantity: 5 }] });
    await eventually(async () => expect([await stockOf(p1.id), await stockOf(p2.id)]).toEqual([3, 0]));
    await s.settled();
    expect(s.recorder.of('catalog.stock-reserved', orderId)).toHaveLength(1);
    expect([await stockOf(p1.id), await stockOf(p2.id)]).toEqual([3, 0]);

    // The cancellation gives back exactly that, once.
    const cancelled = { orderId, customerId: 'c-1', reason: 'CUSTOMER_REQUEST', previousStatus: 'CONFIRMED' };
    const cancel = await publish('order.cancelled', orderId, cancelled);
    await publish('order.cancelled', orderId, cancelled, cancel.id);
    await s.recorder.waitFor('catalog.stock-released', orderId);
    await eventually(async () => expect([await stockOf(p1.id), await stockOf(p2.id)]).toEqual([5, 5]));
    await s.settled();
    expect([await stockOf(p1.id), await stockOf(p2.id)]).toEqual([5, 5]);
    expect(s.recorder.of('catalog.stock-released', orderId)).toHaveLength(1);
  });

  it('rejects the whole order when one item lacks stock, taking nothing', async () => {
    const plenty = await createProduct(10);
    const scarce = await createProduct(1);
    const orderId = randomUUID();
    await publish('order.placed', orderId, {
      orderId,
      customerId: 'c-2',
      items: [{ productId: plenty.id, quantity: 3, unitPriceCents: 1000 }, { productId: scarce.id, quantity: 2, unitPriceCents: 1000 }],
      totalCents: 5000,
      currency: 'EUR',
    });
    const rejected = await s.recorder.waitFor('catalog.stock-rejected', orderId);
    expect(rejected.event.data).toEqual({ orderId, reason: 'OUT_OF_STOCK', productIds: [scarce.id] });
    expect([await stockOf(plenty.id), await stockOf(scarce.id)]).toEqual([10, 1]);
  });

  it('lets exactly as many racing orders through as there are units', async () => {
    const last = await createProduct(10);
    const orders = Array.from({ length: 50 }, () => randomUUID());
    await Promise.all(
      orders.map((orderId) =>
        publish('order.placed', orderId, { orderId, customerId: 'racer', items: [{ productId: last.id, quantity: 1, unitPriceCents: 1000 }], totalCents: 1000, currency: 'EUR' }),
      ),
    );
    await eventually(() => {
      const decided = orders.filter((o) => s.recorder.of('catalog.stock-reserved', o).length + s.recorder.of('catalog.stock-rejected', o).length === 1);
      expect(decided).toHaveLength(50);
    }, 30_000);
    expect(orders.filter((o) => s.recorder.of('catalog.stock-reserved', o).length)).toHaveLength(10);
    expect(await stockOf(last.id)).toBe(0);
  });

  it('feeds the rating read model from review events, counting each once', async () => {
    const product = await createProduct(1);
    const review = (rating: number) => ({ reviewId: randomUUID(), productId: product.id, orderId: randomUUID(), customerId: 'c-3', rating });
    const first = await publish('review.created', product.id, review(5));
    await publish('review.created', product.id, first.data, first.id);
    await publish('review.created', product.id, review(2));
    await eventually(async () => {
      const body = (await (await fetch(`${s.url}/api/products/${product.id}`)).json()) as { rating: unknown };
      expect(body.rating).toEqual({ average: 3.5, count: 2 });
    });
  });
});
