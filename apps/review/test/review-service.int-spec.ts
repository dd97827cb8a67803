import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { ReviewPrismaService } from '@shop/review/data-access';
import { closeService, startServiceForTest } from '@shop/platform/service';
import { Topics } from '@shop/shared/contracts';
import { authHeaders, eventually, useServiceStack } from '@shop/testing';
import { reviewService } from '../src/review.service';

interface ReviewBody {
  id: string;
  productId: string;
  orderId: string;
  customerId: string;
  rating: number;
  comment: string | null;
  createdAt: string;
}

/** The review service against the real Postgres and Kafka. */
describe('review service (real Postgres and Kafka)', () => {
  const s = useServiceStack<NestFastifyApplication>('review', {
    start: (env) => startServiceForTest(reviewService, env),
    stop: closeService,
    consumes: [Topics.orderOrders],
    records: [Topics.reviewReviews],
  });
  const prisma = () => s.app.get(ReviewPrismaService);
  const publishDelivered = (data: { orderId: string; customerId: string; productIds: string[] }, id?: string) =>
    s.publish('order.delivered', data.orderId, data, { id, aggregateVersion: 6 });
  const processed = (eventId: string) => eventually(async () => expect(await prisma().inbox.count({ where: { eventId } })).toBe(1));
  /** Delivers an order and waits until its grants exist. */
  const deliver = async (customerId: string, productIds: string[]) => {
    const orderId = randomUUID();
    const event = await publishDelivered({ orderId, customerId, productIds });
    await processed(event.id);
    return orderId;
  };
  const postReview = async (productId: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${s.url}/api/products/${productId}/reviews`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const as = (sub: string, role: 'customer' | 'admin' = 'customer') => authHeaders(sub, role);

  it('is live, and its status is ok because Postgres and Kafka both answer', async () => {
    expect((await fetch(`${s.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${s.url}/health/status`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, kafka: { status: 'ok' } } });
  });

  it('grants one review per product of a delivered order, once, however often the delivery arrives', async () => {
    const orderId = randomUUID();
    const [kettle, mug] = [randomUUID(), randomUUID()];
    const data = { orderId, customerId: 'alice', productIds: [kettle, mug, kettle] };
    const delivered = await publishDelivered(data);
    await publishDelivered(data, delivered.id); // redelivery of the same event
    await publishDelivered(data); // the same fact under a new event id
    await s.settled();

    expect(await prisma().inbox.count({ where: { eventId: delivered.id } })).toBe(1);
    const grants = await prisma().reviewGrant.findMany({ where: { orderId }, orderBy: { productId: 'asc' } });
    expect(grants.map((g) => ({ productId: g.productId, customerId: g.customerId }))).toEqual(
      [kettle, mug].sort().map((productId) => ({ productId, customerId: 'alice' })),
    );
  });

  it('accepts a customer’s review of a delivered product and publishes review.created from the same transaction', async () => {
    const product = randomUUID();
    const orderId = await deliver('alice', [product]);
    const res = await postReview(product, { orderId, rating: 5, comment: '  Boils in a minute  ' }, await as('alice'));
    expect(res.status).toBe(201);
    const review = (await res.json()) as ReviewBody;
    expect(review).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      productId: product,
      orderId,
      customerId: 'alice',
      rating: 5,
      comment: 'Boils in a minute',
      createdAt: expect.any(String),
    });
    expect(await prisma().review.findUnique({ where: { id: review.id } })).toMatchObject({ productId: product, orderId, rating: 5 });

    const record = await s.recorder.waitFor('review.created', review.id);
    expect(record.key).toBe(review.id);
    expect(record.topic).toBe(s.topic(Topics.reviewReviews));
    expect(record.headers).toMatchObject({ 'event-id': record.event.id, 'event-type': 'review.created' });
    expect(record.event).toMatchObject({
      type: 'review.created',
      version: 1,
      source: 'review',
      aggregateId: review.id,
      aggregateVersion: 1,
      data: { reviewId: review.id, productId: product, orderId, customerId: 'alice', rating: 5 },
    });
  });

  it('refuses a second review of the same product of the same order with 409, writing nothing', async () => {
    const product = randomUUID();
    const orderId = await deliver('alice', [product]);
    expect((await postReview(product, { orderId, rating: 4 }, await as('alice'))).status).toBe(201);
    const outboxBefore = await prisma().outbox.count();
    const again = await postReview(product, { orderId, rating: 1, comment: 'changed my mind' }, await as('alice'));
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await again.json()).toMatchObject({ status: 409, title: 'Conflict' });
    expect(await prisma().review.findMany({ where: { orderId, productId: product } })).toEqual([expect.objectContaining({ rating: 4, comment: null })]);
    expect(await prisma().outbox.count()).toBe(outboxBefore);
  });

  it('lets exactly one of six racing reviews of the same grant through; the others get 409', async () => {
    const product = randomUUID();
    const orderId = await deliver('carol', [product]);
    const headers = await as('carol');
    const statuses = await Promise.all(Array.from({ length: 6 }, (_, i) => postReview(product, { orderId, rating: (i % 5) + 1 }, headers).then((r) => r.status)));
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await prisma().review.count({ where: { orderId, productId: product } })).toBe(1);
    expect(await prisma().outbox.count({ where: { type: 'review.created', payload: { path: ['data', 'orderId'], equals: orderId } } })).toBe(1);
  });

  it('lets the same customer review the same product again through another delivered order', async () => {
    const product = randomUUID();
    const first = await deliver('dave', [product]);
    const second = await deliver('dave', [product]);
    expect((await postReview(product, { orderId: first, rating: 3 }, await as('dave'))).status).toBe(201);
    expect((await postReview(product, { orderId: second, rating: 4 }, await as('dave'))).status).toBe(201);
  });

  describe('refuses with 403 and writes nothing', () => {
    const expectForbidden = async (res: Response) => {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    };

    it('a review of a product the delivered order does not contain', async () => {
      const [inOrder, notInOrder] = [randomUUID(), randomUUID()];
      const orderId = await deliver('erin', [inOrder]);
      await expectForbidden(await postReview(notInOrder, { orderId, rating: 5 }, await as('erin')));
      expect(await prisma().review.count({ where: { orderId } })).toBe(0);
    });

    it('a review through someone else’s delivered order', async () => {
      const product = randomUUID();
      const orderId = await deliver('frank', [product]);
      await expectForbidden(await postReview(product, { orderId, rating: 1 }, await as('mallory')));
      expect(await prisma().review.count({ where: { orderId } })).toBe(0);
      // Still 403, not 409, once the owner has reviewed it: nothing leaks about others' orders.
      expect((await postReview(product, { orderId, rating: 5 }, await as('frank'))).status).toBe(201);
      await expectForbidden(await postReview(product, { orderId, rating: 1 }, await as('mallory')));
    });

    it('a review before the order is delivered (no grant yet)', async () => {
      const product = randomUUID();
      const orderId = randomUUID();
      await expectForbidden(await postReview(product, { orderId, rating: 4 }, await as('gina')));
      expect(await prisma().review.count({ where: { orderId } })).toBe(0);
      // Once delivered, the same request succeeds.
      await processed((await publishDelivered({ orderId, customerId: 'gina', productIds: [product] })).id);
      expect((await postReview(product, { orderId, rating: 4 }, await as('gina'))).status).toBe(201);
    });

    it('a review by an admin, even for a delivered order', async () => {
      const product = randomUUID();
      const orderId = await deliver('admin-1', [product]);
      await expectForbidden(await postReview(product, { orderId, rating: 5 }, await as('admin-1', 'admin')));
      expect(await prisma().review.count({ where: { orderId } })).toBe(0);
    });
  });

  it('refuses a review without a token with 401', async () => {
    const product = randomUUID();
    const orderId = await deliver('hank', [product]);
    const res = await postReview(product, { orderId, rating: 5 }, { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await prisma().review.count({ where: { orderId } })).toBe(0);
  });

  it('refuses bad bodies with 400 problems naming the field, writing nothing', async () => {
    const product = randomUUID();
    const orderId = await deliver('ivy', [product]);
    const headers = await as('ivy');
    const outboxBefore = await prisma().outbox.count();
    const cases: Array<[unknown, string]> = [
      [{ orderId, rating: 0 }, 'rating'],
      [{ orderId, rating: 6 }, 'rating'],
      [{ orderId, rating: 2.5 }, 'rating'],
      [{ orderId, rating: '5' }, 'rating'],
      [{ orderId, rating: 5, comment: 'x'.repeat(2001) }, 'comment'],
      [{ orderId, rating: 5, stars: 5 }, '(body)'],
      [{ rating: 5 }, 'orderId'],
      [{ orderId: 'not-a-uuid', rating: 5 }, 'orderId'],
    ];
    for (const [body, path] of cases) {
      const res = await postReview(product, body, headers);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((e) => e.path)).toEqual([path]);
    }
    const notJson = await postReview(product, '{"orderId": ', headers);
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('content-type')).toContain('application/problem+json');

    expect(await prisma().review.count({ where: { orderId } })).toBe(0);
    expect(await prisma().outbox.count()).toBe(outboxBefore);
    // The grant is untouched: a valid review still goes through.
    expect((await postReview(product, { orderId, rating: 5 }, headers)).status).toBe(201);
  });

  it('answers 404 for a product id that is not a uuid', async () => {
    const orderId = await deliver('jack', [randomUUID()]);
    expect((await postReview('not-a-uuid', { orderId, rating: 5 }, await as('jack'))).status).toBe(404);
    const list = await fetch(`${s.url}/api/products/not-a-uuid/reviews`);
    expect(list.status).toBe(404);
    expect(list.headers.get('content-type')).toContain('application/problem+json');
  });

  it('lists a product’s reviews newest first, with keyset pages, to anyone', async () => {
    const product = randomUUID();
    const other = randomUUID();
    const ids: string[] = [];
    for (const customer of ['kim', 'lee', 'max']) {
      const orderId = await deliver(customer, [product, other]);
      const res = await postReview(product, { orderId, rating: 3, comment: `by ${customer}` }, await as(customer));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as ReviewBody).id);
      await postReview(other, { orderId, rating: 1 }, await as(customer));
      await new Promise((r) => setTimeout(r, 5)); // distinct created_at, so "newest first" is the creation order
    }

    const first = (await (await fetch(`${s.url}/api/products/${product}/reviews?limit=2`)).json()) as { items: ReviewBody[]; nextCursor: string | null };
    expect(first.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({ productId: product, customerId: 'max', rating: 3, comment: 'by max' });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (await fetch(`${s.url}/api/products/${product}/reviews?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: ReviewBody[];
      nextCursor: string | null;
    };
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const all = (await (await fetch(`${s.url}/api/products/${product}/reviews`)).json()) as { items: ReviewBody[]; nextCursor: string | null };
    expect(all).toEqual({ items: ids.reverse().map((id) => expect.objectContaining({ id })), nextCursor: null });
    expect(await (await fetch(`${s.url}/api/products/${randomUUID()}/reviews`)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad cursor or limit with 400', async () => {
    const product = randomUUID();
    for (const query of ['limit=0', 'limit=101', 'limit=2.5', 'limit=ten', 'cursor=nonsense', 'page=2']) {
      const res = await fetch(`${s.url}/api/products/${product}/reviews?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
