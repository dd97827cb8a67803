import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { EventType, Topics } from '@shop/shared/contracts';
import { eventually, EventRecorder, TestPlatform, eventRecord } from '@shop/testing';
import { Api, counts } from '../lifecycle/api';

/**
 * Operating the event backbone on the running services: re-publish, read
 * model rebuilds, dead-letter listing and replay, and crashes (kill -9) of a
 * consumer mid-stream and of the outbox relay between publish and mark.
 */
describe('messaging operations (services as processes, real Postgres and Kafka)', () => {
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
  const topic = (name: string) => platform.kafka.topic(name);

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' } },
    });
    api = new Api(platform);
    producer = platform.kafka.kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  it('re-publishes every order event with its original id, and nothing changes anywhere', async () => {
    const product = await api.createProduct({ stock: 10 });
    const placed = await api.placeOrder('rita', [{ productId: product.id, quantity: 2 }]);
    await api.waitForStatus('rita', placed.body.id, 'DELIVERED');
    await platform.settled();
    const before = await counts(platform);
    const [{ n: orderEvents }] = await sql<{ n: number }>('order', 'select count(*)::int as n from outbox');

    expect((await api.call('order', 'POST', '/admin/events/republish', { as: 'rita', body: {} })).status).toBe(403);
    const res = await api.call<{ republished: number }>('order', 'POST', '/admin/events/republish', { ...admin, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.republished).toBe(orderEvents);

    // Every copy published and consumed, retry tiers included: what they changed, if anything, is there to see.
    await platform.settled();
    expect(await counts(platform)).toEqual(before);
    const [{ n: after }] = await sql<{ n: number }>('order', 'select count(*)::int as n from outbox');
    expect(after).toBe(orderEvents); // re-published rows, not new events

    const one = await api.call<{ republished: number }>('order', 'POST', '/admin/events/republish', {
      ...admin,
      body: { aggregateId: placed.body.id, since: new Date(Date.now() - 3_600_000).toISOString() },
    });
    expect(one.body.republished).toBe(5); // placed, awaiting-payment, confirmed, shipped, delivered
    expect((await api.call('order', 'POST', '/admin/events/republish', { ...admin, body: { since: 'yesterday' } })).status).toBe(400);
  });

  it('rebuilds the order service’s product snapshot and the catalog’s ratings from their topics while running', async () => {
    const product = await api.createProduct({ name: 'Lamp', priceCents: 2000, stock: 5 });
    await api.placeOrder('sam', [{ productId: product.id, quantity: 1 }]);
    await sql('order', 'delete from product_snapshots');
    const rejected = await api.call('order', 'POST', '/api/orders', {
      as: 'sam',
      body: { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok', shippingAddress: { name: 'a', line1: 'b', city: 'c', postalCode: 'd', country: 'e' } },
    });
    expect(rejected.status).toBe(422);
    const rebuilt = await api.call<{ events: number; updated: number }>('order', 'POST', '/admin/read-models/product-snapshots/rebuild', admin);
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.updated).toBeGreaterThanOrEqual(1);
    expect(await sql('order', 'select name, price_cents from product_snapshots where product_id = $1', [product.id])).toEqual([{ name: 'Lamp', price_cents: 2000 }]);

    const reviews = [5, 3].map((rating) => ({ reviewId: randomUUID(), productId: product.id, orderId: randomUUID(), customerId: 'sam', rating }));
    for (const data of reviews) await publish(Topics.reviewReviews, 'review.created', data.reviewId, data);
    await eventually(async () => expect((await api.call<{ rating: unknown }>('catalog', 'GET', `/api/products/${product.id}`)).body.rating).toEqual({ average: 4, count: 2 }));
    await sql('catalog', 'update products set rating_count = 0, rating_sum = 0 where id = $1', [product.id]);
    await sql('catalog', 'delete from rating_contributions where review_id = $1', [reviews[0].reviewId]);
    const ratings = await api.call<{ imported: number; products: number }>('catalog', 'POST', '/admin/read-models/ratings/rebuild', admin);
    expect(ratings.status).toBe(200);
    expect(ratings.body.imported).toBe(1);
    expect((await api.call<{ rating: unknown }>('catalog', 'GET', `/api/products/${product.id}`)).body.rating).toEqual({ average: 4, count: 2 });
  });

  it('lists dead letters per service and replays them; a replayed record leaves the list', async () => {
    const key = randomUUID();
    await producer.send({ topic: topic(Topics.orderOrders), messages: [{ key, value: '{"broken": ', headers: { 'event-id': key } }] });
    const listed = await eventually(async () => {
      const res = await api.call<{ items: Array<{ id: string; eventId: string; error: string; originalTopic: string }> }>('payment', 'GET', '/admin/dlq', admin);
      const mine = res.body.items.filter((i) => i.eventId === key);
      expect(mine).toHaveLength(1);
      return mine[0];
    });
    expect(listed).toMatchObject({ originalTopic: topic(Topics.orderOrders), error: expect.stringContaining('not JSON') });
    expect((await api.call('payment', 'GET', '/admin/dlq', { as: 'x' })).status).toBe(403);
    expect((await api.call('payment', 'GET', '/admin/dlq')).status).toBe(401);

    const replay = await api.call<{ replayed: number }>('payment', 'POST', '/admin/dlq/replay', { ...admin, body: { ids: [listed.id] } });
    expect(replay.body.replayed).toBe(1);
    // Still malformed, so it comes back as a new dead letter; the replayed one is gone from the list.
    await eventually(async () => {
      const res = await api.call<{ items: Array<{ id: string; eventId: string }> }>('payment', 'GET', '/admin/dlq', admin);
      const mine = res.body.items.filter((i) => i.eventId === key);
      expect(mine).toHaveLength(1);
      expect(mine[0].id).not.toBe(listed.id);
    });
    expect((await api.call<{ replayed: number }>('payment', 'POST', '/admin/dlq/replay', { ...admin, body: { ids: [listed.id] } })).body.replayed).toBe(0);
  });

  it('applies every one of 1,000 events exactly once when a consumer is killed (-9) mid-stream', async () => {
    const product = await api.createProduct({ stock: 1 });
    const reviews = Array.from({ length: 1_000 }, (_, i) => ({
      reviewId: randomUUID(),
      productId: product.id,
      orderId: randomUUID(),
      customerId: `c${i}`,
      rating: (i % 5) + 1,
    }));
    const sending = (async () => {
      for (let i = 0; i < reviews.length; i += 100) {
        await producer.send({
          topic: topic(Topics.reviewReviews),
          acks: -1,
          messages: reviews.slice(i, i + 100).map((data) => message('review.created', data.reviewId, data)),
        });
      }
    })();
    await eventually(async () => {
      const [{ n }] = await sql<{ n: number }>('catalog', 'select rating_count as n from products where id = $1', [product.id]);
      expect(n).toBeGreaterThan(50);
    }, 30_000, 5);
    await platform.killApp('catalog');
    await sending;
    await platform.startApp('catalog');
    const expectedSum = reviews.reduce((s, r) => s + r.rating, 0);
    // Every review consumed (those the killed consumer had applied but not committed, a second time): the rating
    // counts each once, and no late copy can move it after this.
    await platform.settled({ timeoutMs: 60_000 });
    const [row] = await sql<{ count: number; sum: number }>('catalog', 'select rating_count as count, rating_sum as sum from products where id = $1', [product.id]);
    expect(row).toEqual({ count: 1_000, sum: expectedSum });
    const [{ n: inbox }] = await sql<{ n: number }>('catalog', `select count(*)::int as n from inbox where event_type = 'review.created'`);
    expect(inbox).toBeGreaterThanOrEqual(1_000);
  });

  it('publishes again an event whose relay was killed between publish and mark; consumers ignore the copy', async () => {
    await platform.stopApp('catalog');
    platform.setEnv('catalog', { CHAOS_OUTBOX_CRASH_AFTER_PUBLISH: '1' });
    await platform.startApp('catalog');
    const recorder = new EventRecorder(platform.kafka.kafka(), [topic(Topics.catalogProducts)]);
    await recorder.start();
    try {
      const res = await api.call<{ id: string }>('catalog', 'POST', '/api/products', {
        ...admin,
        body: { sku: `CRASH-${randomUUID()}`, name: 'Crash', priceCents: 100, currency: 'EUR', stock: 1 },
      });
      expect(res.status).toBe(201);
      await eventually(() => expect(recorder.of('catalog.product-upserted', res.body.id)).toHaveLength(1));
      await platform.waitForExit('catalog'); // died before marking the row
      const [row] = await sql<{ published: boolean }>('catalog', 'select published_at is not null as published from outbox where key = $1', [res.body.id]);
      expect(row.published).toBe(false);

      platform.setEnv('catalog', { CHAOS_OUTBOX_CRASH_AFTER_PUBLISH: '' });
      await platform.startApp('catalog');
      await eventually(() => expect(recorder.of('catalog.product-upserted', res.body.id)).toHaveLength(2));
      // Both copies consumed by the order service (and no third published): the copy's effect, if any, is there to see.
      await platform.settled({ recorder });
      const [first, second, ...more] = recorder.of('catalog.product-upserted', res.body.id);
      expect(more).toEqual([]);
      expect(second.event.id).toBe(first.event.id);
      const inbox = await sql<{ n: number }>('order', 'select count(*)::int as n from inbox where event_id = $1', [first.event.id]);
      expect(inbox[0].n).toBe(1);
      expect(await sql('order', 'select product_version from product_snapshots where product_id = $1', [res.body.id])).toEqual([{ product_version: 1 }]);
    } finally {
      await recorder.stop();
    }
  });

  const message = (type: EventType, aggregateId: string, data: unknown) => eventRecord(type, aggregateId, data).message;

  async function publish(name: string, type: EventType, aggregateId: string, data: unknown): Promise<void> {
    await producer.send({ topic: topic(name), acks: -1, messages: [message(type, aggregateId, data)] });
  }
});
