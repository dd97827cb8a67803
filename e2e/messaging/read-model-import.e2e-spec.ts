import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { encodeChangeCursor, ProductExportPage, Topics } from '@shop/shared/contracts';
import { AppProcess, eventRecord, EventRecorder, eventually, TEST_JWT_SECRET, TestPlatform, tokenFor, workspaceRoot } from '@shop/testing';
import { call, startGateway } from '../gateway/gateway-process';
import { Api, ADDRESS } from '../lifecycle/api';

type ImportResult = { fetched: number; updated: number; nextCursor: string | null };
type Snapshot = { product_id: string; name: string; price_cents: number; product_version: number };

/**
 * Read models rebuilt without the broker: the catalog's product export and the
 * review service's review export, imported by the order service (its product
 * snapshot) and the catalog (its ratings) through their admin routes.
 */
describe('read-model import from the owner’s API (services as processes, real Postgres and Kafka)', () => {
  let platform: TestPlatform;
  let api: Api;
  let producer: Producer;

  const sql = async <T = Record<string, unknown>>(service: Parameters<TestPlatform['url']>[0], query: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: platform.db.urlFor(service) });
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const admin = { as: 'ops', role: 'admin' as const };
  const importSnapshots = (body: Record<string, unknown>) =>
    api.call<ImportResult>('order', 'POST', '/admin/read-models/product-snapshots/rebuild', { ...admin, body: { source: 'api', ...body } });
  /** Every step of an import, as `npm run rebuild -- --source api` drives it. */
  const importAll = async (since?: string) => {
    const total = { fetched: 0, updated: 0 };
    let cursor: string | undefined;
    do {
      const res = await importSnapshots({ since, cursor });
      expect(res.status).toBe(200);
      total.fetched += res.body.fetched;
      total.updated += res.body.updated;
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return total;
  };
  const snapshots = (ids?: string[]) =>
    sql<Snapshot>('order', 'select product_id, name, price_cents, product_version from product_snapshots where $1::uuid[] is null or product_id = any($1) order by product_id', [ids ?? null]);
  // A reservation bumps a product's version too, so compare products no order touched.
  const catalogProducts = (ids?: string[]) =>
    sql<Snapshot>('catalog', 'select id as product_id, name, price_cents, version as product_version from products where $1::uuid[] is null or id = any($1) order by id', [ids ?? null]);
  const exportPage = (query: string, role: 'admin' | 'service' = 'service') =>
    api.call<ProductExportPage>('catalog', 'GET', `/api/exports/products${query}`, { as: `service:${role}`, role });
  const rename = (id: string, name: string) => api.call('catalog', 'PATCH', `/api/products/${id}`, { ...admin, body: { name } });

  beforeAll(async () => {
    platform = await TestPlatform.start({ apps: ['catalog', 'order', 'review'] });
    api = new Api(platform);
    producer = platform.kafka.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  it('restores the product snapshot after the catalog topic is deleted, and an order for an imported product is accepted', async () => {
    const lamp = await api.createProduct({ name: 'Lamp', priceCents: 2000, stock: 5 });
    await eventually(async () => expect((await snapshots()).map((s) => s.product_id)).toContain(lamp.id));

    // The broker loses the topic and the order service its snapshot (restored from an older backup, say).
    await platform.stopApp('order');
    await platform.stopApp('catalog');
    const productsTopic = platform.kafka.topic(Topics.catalogProducts);
    const kafkaAdmin = platform.kafka.kafka().admin();
    await kafkaAdmin.connect();
    try {
      await kafkaAdmin.deleteTopics({ topics: [productsTopic] });
      await eventually(async () => expect(await kafkaAdmin.listTopics()).not.toContain(productsTopic));
    } finally {
      await kafkaAdmin.disconnect();
    }
    await sql('order', 'delete from product_snapshots');
    // The catalog creates its topic again, empty; the order service starts on it.
    await platform.startApp('catalog');
    await platform.startApp('order');

    const fromTopic = await api.call<{ events: number; updated: number }>('order', 'POST', '/admin/read-models/product-snapshots/rebuild', admin);
    expect(fromTopic.status).toBe(200);
    expect(fromTopic.body).toEqual({ events: 0, updated: 0 }); // nothing left on the broker to rebuild from
    const order = { items: [{ productId: lamp.id, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS };
    expect((await api.call('order', 'POST', '/api/orders', { as: 'ines', body: order })).status).toBe(422);

    const imported = await importAll();
    expect(imported).toEqual({ fetched: 1, updated: 1 });
    expect(await snapshots()).toEqual(await catalogProducts());
    // Twice changes nothing.
    expect(await importAll()).toEqual({ fetched: 1, updated: 0 });
    const placed = await api.call<{ status: string; items: Array<{ name: string; unitPriceCents: number }> }>('order', 'POST', '/api/orders', { as: 'ines', body: order });
    expect(placed.status).toBe(202);
    expect(placed.body.items).toEqual([expect.objectContaining({ name: 'Lamp', unitPriceCents: 2000 })]);
  });

  it('takes every order during the rolling change to catalog.product-upserted v2: the v1-only order service keeps consuming v1, nothing is refused, dead-lettered or lost', async () => {
    // The catalog publishes v1 and v2 (its compatibility window); the order service reads v1 only.
    const recorder = new EventRecorder(platform.kafka.kafka(), [platform.kafka.topic(Topics.catalogProducts), platform.kafka.topic(Topics.catalogProductsV2)]);
    await recorder.start();
    try {
      const create = (name: string, category: string) =>
        api.call<{ id: string }>('catalog', 'POST', '/api/products', {
          ...admin,
          body: { sku: `ROLL-${randomUUID().slice(0, 8)}`, name, priceCents: 700, currency: 'EUR', stock: 10, category },
        });
      const ids: string[] = [];
      const orders: string[] = [];
      const order = async (productId: string) => {
        const placed = await api.placeOrder('rolling', [{ productId, quantity: 1 }]);
        expect(placed.status).toBe(202);
        orders.push(placed.body.id);
      };
      for (let i = 0; i < 5; i++) ids.push((await create(`Before ${i}`, 'rolling')).body.id);
      for (const id of ids) await order(id);
      // The catalog is released again mid-way (stopped, started), orders keep coming meanwhile.
      await platform.stopApp('catalog');
      for (const id of ids) await order(id);
      await platform.startApp('catalog');
      for (let i = 0; i < 5; i++) ids.push((await create(`After ${i}`, 'rolling')).body.id);
      for (const id of ids.slice(5)) await order(id);
      await rename(ids[0], 'Before 0, renamed');
      for (const id of ids) await order(id);

      // Every order was taken and decided by the catalog (reserved: the payment service is not running here).
      for (const id of orders) await api.waitForStatus('rolling', id, 'AWAITING_PAYMENT', 60_000);
      expect(orders).toHaveLength(25);
      // Both versions of every change are on their topics, once; the order service's snapshot has the newest of each.
      await platform.settled({ recorder });
      for (const id of ids) {
        const versions = recorder.of('catalog.product-upserted', id).map((e) => e.event.version);
        expect(versions.filter((v) => v === 1)).toHaveLength(id === ids[0] ? 2 : 1);
        expect(versions.filter((v) => v === 2)).toHaveLength(id === ids[0] ? 2 : 1);
      }
      expect(recorder.of('catalog.product-upserted', ids[0]).find((e) => e.event.version === 2)?.event.data).toMatchObject({ category: 'rolling' });
      expect((await snapshots([ids[0]]))[0]?.name).toBe('Before 0, renamed');
      // Nothing went to the order service's dead letters: it never receives a version it does not read.
      const dlq = await api.call<{ items: Array<{ originalTopic: string }> }>('order', 'GET', '/admin/dlq', admin);
      expect(dlq.body.items.filter((i) => i.originalTopic.endsWith(Topics.catalogProducts) || i.originalTopic.endsWith(Topics.catalogProductsV2))).toEqual([]);
    } finally {
      await recorder.stop();
    }
  });

  it('imports since a time only the products changed after it', async () => {
    const before = await api.createProduct({ name: 'Before', stock: 1 });
    const changedLater = await api.createProduct({ name: 'Changed later', stock: 1 });
    // changed_at is kept to the millisecond: time must pass on both sides of T, or a change made in T's own
    // millisecond (before it or after it) would be taken as at T.
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    expect((await rename(changedLater.id, 'Changed after T')).status).toBe(200);
    const after = await api.createProduct({ name: 'Created after T', stock: 1 });
    // A stock change is no change to what the snapshot holds: not exported again.
    expect((await api.call('catalog', 'PATCH', `/api/products/${before.id}`, { ...admin, body: { stock: 7 } })).status).toBe(200);
    const mine = [before.id, changedLater.id, after.id];
    await eventually(async () => expect(await snapshots(mine)).toEqual(await catalogProducts(mine)));

    await sql('order', 'delete from product_snapshots');
    const imported = await importAll(since);
    expect(imported).toEqual({ fetched: 2, updated: 2 });
    expect((await snapshots()).map((s) => s.name).sort()).toEqual(['Changed after T', 'Created after T']);
  });

  it('leaves every snapshot at the newest version when an import races live events', async () => {
    const products = await Promise.all(Array.from({ length: 6 }, (_, i) => api.createProduct({ name: `Racer ${i}`, stock: 1 })));
    let renaming = true;
    const renames = (async () => {
      for (let round = 0; renaming || round < 5; round++) {
        await Promise.all(products.map((p) => rename(p.id, `Racer ${p.id.slice(0, 4)} round ${round}`)));
      }
    })();
    for (let i = 0; i < 5; i++) {
      // Small pages: the import and the events interleave page by page.
      let cursor: string | undefined;
      do {
        const res = await importSnapshots({ cursor });
        expect(res.status).toBe(200);
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
    }
    renaming = false;
    await renames;
    const ids = products.map((p) => p.id);
    await eventually(async () => expect(await snapshots(ids)).toEqual(await catalogProducts(ids)), 30_000);
    // And once an import has caught up, another moves nothing.
    await importAll();
    expect((await importAll()).updated).toBe(0);
  });

  it('never moves a snapshot back: a newer version from an event wins over an older one from the export', async () => {
    const product = await api.createProduct({ name: 'Kettle', priceCents: 3000, stock: 1 });
    await eventually(async () => expect((await snapshots()).map((s) => s.product_id)).toContain(product.id));
    // A newer version than the catalog's export holds reaches the snapshot first.
    const data = { productId: product.id, sku: product.sku, name: 'Kettle v9', description: '', priceCents: 3100, currency: 'EUR', productVersion: 9 };
    const { message } = eventRecord('catalog.product-upserted', product.id, data, { id: randomUUID() });
    await producer.send({ topic: platform.kafka.topic(Topics.catalogProducts), messages: [message] });
    await eventually(async () => expect((await snapshots()).find((s) => s.product_id === product.id)?.product_version).toBe(9));

    await importAll();
    expect((await snapshots()).find((s) => s.product_id === product.id)).toEqual({ product_id: product.id, name: 'Kettle v9', price_cents: 3100, product_version: 9 });
  });

  it('pages the export so that a change made mid-export is neither missed nor repeated', async () => {
    const since = new Date().toISOString();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await api.createProduct({ name: `Paged ${i}`, stock: 1 }));
    const q = (cursor?: string) => `?limit=2&updatedSince=${encodeURIComponent(since)}${cursor ? `&cursor=${cursor}` : ''}`;
    const seen: Array<{ productId: string; productVersion: number; name: string }> = [];

    const first = await exportPage(q());
    expect(first.status).toBe(200);
    seen.push(...first.body.items);
    expect(seen.map((i) => i.productId)).toEqual([made[0].id, made[1].id]);

    // Mid-export: a product already exported changes, a new one is added, and one change commits after a
    // later one started (a transaction held open on the catalog's own connection).
    expect((await rename(made[0].id, 'Paged 0, renamed')).status).toBe(200);
    const held = new Client({ connectionString: platform.db.urlFor('catalog') });
    await held.connect();
    await held.query('begin');
    await held.query('update products set name = $2, version = version + 1 where id = $1', [made[1].id, 'Paged 1, held']);
    const [{ pid: heldPid }] = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    const laterChange = rename(made[2].id, 'Paged 2, renamed while 1 was held');
    // The later change has started: it waits for the change clock the held one took.
    await eventually(async () => {
      const [{ n }] = await sql<{ n: number }>('catalog', 'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [heldPid]);
      expect(n).toBe(1);
    });
    let cursor = first.body.nextCursor ?? undefined;
    const second = await exportPage(q(cursor));
    seen.push(...second.body.items);
    cursor = second.body.nextCursor ?? undefined;
    await held.query('commit');
    await held.end();
    expect((await laterChange).status).toBe(200);
    const added = await api.createProduct({ name: 'Paged 5', stock: 1 });

    while (cursor) {
      const page = await exportPage(q(cursor));
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    }
    const versions = seen.map((i) => `${i.productId}@${i.productVersion}`);
    expect(new Set(versions).size).toBe(versions.length); // no version twice
    const last = new Map(seen.map((i) => [i.productId, i.name]));
    expect(Object.fromEntries(last)).toEqual({
      [made[0].id]: 'Paged 0, renamed',
      [made[1].id]: 'Paged 1, held',
      [made[2].id]: 'Paged 2, renamed while 1 was held',
      [made[3].id]: 'Paged 3',
      [made[4].id]: 'Paged 4',
      [added.id]: 'Paged 5',
    });
    // Each product came once per change it had during the export, in commit order.
    expect(seen.map((i) => i.name).slice(2)).toEqual(['Paged 2', 'Paged 3', 'Paged 4', 'Paged 0, renamed', 'Paged 1, held', 'Paged 2, renamed while 1 was held', 'Paged 5']);
  });

  it('serves the export to admin and service tokens only, and refuses bad input with a 400 that changes nothing', async () => {
    expect((await exportPage('?limit=1', 'admin')).status).toBe(200);
    expect((await exportPage('?limit=1', 'service')).status).toBe(200);
    expect((await api.call('catalog', 'GET', '/api/exports/products', { as: 'cora' })).status).toBe(403);
    expect((await api.call('catalog', 'GET', '/api/exports/products')).status).toBe(401);
    expect((await api.call('review', 'GET', '/api/exports/reviews', { as: 'cora' })).status).toBe(403);

    for (const query of ['?updatedSince=yesterday', '?cursor=bogus', `?cursor=${Buffer.from('c1:-4').toString('base64url')}`, '?limit=0', '?limit=5000', '?limit=ten']) {
      const res = await exportPage(query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }

    await sql('order', 'delete from product_snapshots');
    for (const body of [{ since: 'last week' }, { cursor: 'bogus' }, { source: 'disk' }, { source: 'topic', since: new Date().toISOString() }, { limit: 5 }]) {
      const res = await api.call<{ errors: unknown[] }>('order', 'POST', '/admin/read-models/product-snapshots/rebuild', { ...admin, body: { source: 'api', ...body } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await snapshots()).toEqual([]);
    const full = await importSnapshots({ cursor: encodeChangeCursor(0) });
    expect(full.status).toBe(200);
    expect((await snapshots()).length).toBe((await catalogProducts()).length);
    expect((await api.call('order', 'POST', '/admin/read-models/product-snapshots/rebuild', { as: 'cora', body: { source: 'api' } })).status).toBe(403);
  });

  it('imports the catalog’s ratings from the review service’s export', async () => {
    const product = await api.createProduct({ name: 'Rated', stock: 1 });
    const rated = (await api.call<{ rating: unknown }>('catalog', 'GET', `/api/products/${product.id}`)).body.rating;
    expect(rated).toEqual({ average: null, count: 0 });
    // Reviews written in the review service's own table, their events never published (a lost broker).
    for (const rating of [5, 2]) {
      await sql('review', 'insert into reviews (id, product_id, order_id, customer_id, rating) values ($1, $2, $3, $4, $5)', [randomUUID(), product.id, randomUUID(), 'rae', rating]);
    }
    const res = await api.call<ImportResult & { products: number }>('catalog', 'POST', '/admin/read-models/ratings/rebuild', { ...admin, body: { source: 'api' } });
    expect(res.status).toBe(200);
    // Each review counted moved its product's rating at once; the recompute at the end finds nothing left to fix.
    expect(res.body).toEqual({ fetched: 2, updated: 2, nextCursor: null, products: 0 });
    expect((await api.call<{ rating: unknown }>('catalog', 'GET', `/api/products/${product.id}`)).body.rating).toEqual({ average: 3.5, count: 2 });
    const again = await api.call<ImportResult>('catalog', 'POST', '/admin/read-models/ratings/rebuild', { ...admin, body: { source: 'api' } });
    expect(again.body).toMatchObject({ fetched: 2, updated: 0 });
  });

  it('is driven through the gateway’s admin route as well, for admins only', async () => {
    const gateway: AppProcess = await startGateway(platform.gatewayEnv());
    try {
      const adminToken = await tokenFor('ops', 'admin');
      const through = (name: string, body?: unknown, token = adminToken) =>
        call<ImportResult & { events?: number }>(gateway.url, 'POST', `/api/admin/read-models/${name}/rebuild`, { token, body });
      const step = await through('product-snapshots', { source: 'api' });
      expect(step.status).toBe(200);
      expect(step.body).toMatchObject({ nextCursor: null, fetched: (await catalogProducts()).length });
      const ratings = await through('ratings', { source: 'api', since: new Date(Date.now() - 60_000).toISOString() });
      expect([ratings.status, ratings.body.nextCursor]).toEqual([200, null]);
      const fromTopic = await through('product-snapshots');
      expect([fromTopic.status, typeof fromTopic.body.events]).toEqual([200, 'number']);
      for (const [name, body] of [
        ['payments', { source: 'api' }],
        ['product-snapshots', { source: 'topic', since: new Date().toISOString() }],
        ['product-snapshots', { source: 'api', cursor: 'bogus' }],
        ['ratings', { source: 'api', limit: 3 }],
      ] as const) {
        const res = await through(name, body);
        expect({ name, body, status: res.status }).toEqual({ name, body, status: 400 });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await through('product-snapshots', { source: 'api' }, await tokenFor('cora'))).status).toBe(403);
      expect((await through('product-snapshots', { source: 'api' }, await tokenFor('svc', 'service'))).status).toBe(403);
    } finally {
      await gateway.stop();
    }
  });

  it('is driven by npm run rebuild -- --source api, with a progress line', async () => {
    // What changed from here on only: a second back would take in products an earlier test changed a moment ago.
    const [{ last }] = await sql<{ last: Date }>('catalog', 'select max(changed_at) as last from products');
    const since = new Date(last.getTime() + 1).toISOString();
    await api.createProduct({ name: 'From the CLI', stock: 1 });
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(workspaceRoot(), 'dist', 'tools', 'admin.js'), 'rebuild', ...args], { env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET } });
    const partial = await cli('--service', 'order', '--url', platform.url('order'), '--source', 'api', '--since', since);
    expect(partial.stdout).toMatch(/^\rimported 1 from catalog \(\d+\/s\), \d updated\nimport done: 1 fetched, \d updated\n$/);
    const ratings = await cli('--service', 'catalog', '--url', platform.url('catalog'), '--source', 'api');
    expect(ratings.stdout).toMatch(/import done: \d+ fetched, 0 updated, 0 rating\(s\) recomputed\n$/);
    await expect(cli('--service', 'order', '--url', platform.url('order'), '--source', 'topic', '--since', since)).rejects.toMatchObject({ stderr: expect.stringContaining('goes with --source api') });
  });
});
