import { randomBytes, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { CircuitOpenError, UpstreamUnreachableError } from '@shop/platform/resilience';
import type { DeliveryView, OrderStatus, OrderView, PaymentView, ReviewView } from '@shop/shared/contracts';
import { clientRequest, InMemoryUpstreams, Reply } from '../../../test/in-memory-upstreams';
import { loadGatewayConfig } from '../../config/gateway.config';
import { GatewayMetrics } from '../../metrics/gateway.metrics';
import { OrderSummary, OrderSummaryHandler, REVIEWS_PAGE_SIZE, SummaryResult } from './order-summary.handler';

const PARTS_TIMEOUT_MS = 1_000;
const PLACED_AT = Date.parse('2026-12-01T08:00:00.000Z');
const DELIVERED_AT = Date.parse('2026-12-03T15:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

function setup(status: OrderStatus = 'DELIVERED') {
  const upstreams = new InMemoryUpstreams();
  const registry = new Registry();
  const config = loadGatewayConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SUMMARY_PARTS_TIMEOUT_MS: String(PARTS_TIMEOUT_MS) });
  const handler = new OrderSummaryHandler(upstreams.proxy, new GatewayMetrics(registry), config);
  const kettle = randomUUID();
  const mug = randomUUID();
  const steps: OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'];
  const reached = steps.slice(0, steps.indexOf(status) + 1);
  const order: OrderView = {
    id: randomUUID(),
    customerId: 'ada',
    status,
    items: [
      { productId: kettle, name: 'Kettle', unitPriceCents: 1500, quantity: 1 },
      { productId: mug, name: 'Mug', unitPriceCents: 450, quantity: 2 },
    ],
    totalCents: 2400,
    currency: 'EUR',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    history: reached.map((s, i) => ({ status: s, at: at(s === 'DELIVERED' ? DELIVERED_AT : PLACED_AT + i * MINUTE) })),
    createdAt: at(PLACED_AT),
    updatedAt: at(status === 'DELIVERED' ? DELIVERED_AT : PLACED_AT),
  };
  const payment = (status: PaymentView['status'], createdAt: number): PaymentView => ({
    id: randomUUID(),
    orderId: order.id,
    status,
    amountCents: 2400,
    currency: 'EUR',
    createdAt: at(createdAt),
    updatedAt: at(createdAt),
  });
  const delivery: DeliveryView = { id: randomUUID(), orderId: order.id, status: 'DELIVERED', updatedAt: at(DELIVERED_AT) };
  const review = (productId: string, createdAt: number, orderId: string = randomUUID()): ReviewView => ({
    id: randomUUID(),
    productId,
    orderId,
    customerId: orderId === order.id ? 'ada' : 'someone else',
    rating: 4,
    comment: null,
    createdAt: at(createdAt),
  });
  /** Each product's reviews as the review service keeps them: newest first, in pages of `limit` with a cursor. */
  const reviews = new Map<string, ReviewView[]>();
  const reviewService = (path: string): Reply => {
    const url = new URL(path, 'http://review');
    const [, , , productId] = url.pathname.split('/');
    const list = [...(reviews.get(decodeURIComponent(productId)) ?? [])].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const from = Number(url.searchParams.get('cursor') ?? 0);
    return { status: 200, json: { items: list.slice(from, from + limit), nextCursor: from + limit < list.length ? String(from + limit) : null } };
  };
  upstreams.on('order', (path) => (path === `/api/orders/${order.id}` ? { status: 200, json: order } : { status: 404, json: { status: 404, detail: 'no such order' } }));
  const summarize = (): Promise<SummaryResult> => handler.execute(order.id, clientRequest('ada', `/api/orders/${order.id}/summary`));
  /** The summary, with the parts' deadline run out on Jest's clock if some part is still out. */
  const summarizeInTime = async (): Promise<{ summary: OrderSummary; tookMs: number }> => {
    const start = performance.now();
    const pending = summarize();
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await jest.advanceTimersByTimeAsync(PARTS_TIMEOUT_MS);
    if (!settled) throw new Error(`still composing once the parts' deadline (${PARTS_TIMEOUT_MS} ms) has passed`);
    const result = await pending;
    if (!('summary' in result)) throw new Error(`no summary: ${result.answer.status}`);
    return { summary: result.summary, tookMs: performance.now() - start };
  };
  const degradedCount = async (part: string) =>
    ((await registry.getSingleMetric('gateway_composition_degraded_total')?.get())?.values ?? []).find((v) => v.labels.part === part)?.value ?? 0;
  return { upstreams, order, kettle, mug, payment, delivery, review, reviews, reviewService, summarize, summarizeInTime, degradedCount };
}

afterEach(() => jest.useRealTimers());

describe('OrderSummaryHandler', () => {
  it("composes the order with its latest payment, its delivery and its reviews, each part asked on the customer's behalf", async () => {
    const { upstreams, order, kettle, mug, payment, delivery, review, reviews, reviewService, summarize, degradedCount } = setup();
    const declined = payment('DECLINED', PLACED_AT + MINUTE);
    const authorized = payment('AUTHORIZED', PLACED_AT + 2 * MINUTE);
    const mine = review(kettle, DELIVERED_AT + 60 * MINUTE, order.id);
    reviews.set(kettle, [review(kettle, DELIVERED_AT + 90 * MINUTE), mine, review(kettle, PLACED_AT)]);
    reviews.set(mug, [review(mug, DELIVERED_AT + 30 * MINUTE)]);
    upstreams.on('payment', () => ({ status: 200, json: [declined, authorized] }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', reviewService);

    await expect(summarize()).resolves.toEqual({ summary: { order, payment: authorized, delivery, reviews: [mine], degraded: [] } });
    expect(upstreams.asked('payment')).toEqual([`/api/payments?orderId=${order.id}`]);
    expect(upstreams.asked('delivery')).toEqual([`/api/deliveries?orderId=${order.id}`]);
    // every service decides for itself what ada may see; the edge's own headers stay at the edge
    for (const call of upstreams.calls) {
      expect(call.headers).toMatchObject({ authorization: 'Bearer token-of-ada' });
      expect(call.headers).not.toHaveProperty('cookie');
    }
    expect(await degradedCount('payment')).toBe(0);
  });

  it.each([
    [404, 'no such order, or not hers'],
    [403, 'a token without the role'],
    [401, 'no valid token'],
  ])("answers the order service's %i (%s) as it is, and asks no other service", async (status) => {
    const { upstreams, summarize } = setup();
    upstreams.on('order', () => ({ status, json: { status, detail: 'refused' } }));
    const result = await summarize();
    expect('answer' in result && result.answer.status).toBe(status);
    expect(upstreams.calls.map((c) => c.upstream)).toEqual(['order']);
  });

  it('fails when the order service gives no answer: without the order there is nothing to summarise', async () => {
    const { upstreams, summarize } = setup();
    upstreams.on('order', () => new UpstreamUnreachableError('order', 'order: connect ECONNREFUSED', 1));
    await expect(summarize()).rejects.toBeInstanceOf(UpstreamUnreachableError);
    expect(upstreams.calls.map((c) => c.upstream)).toEqual(['order']);
  });

  it('leaves out a part whose service refuses at once (its breaker open), names it, counts it, and keeps the others', async () => {
    const { upstreams, order, kettle, delivery, review, reviews, reviewService, summarize, degradedCount } = setup();
    const mine = review(kettle, DELIVERED_AT + MINUTE, order.id);
    reviews.set(kettle, [mine]);
    upstreams.on('payment', () => new CircuitOpenError('payment', 'payment: circuit open', 5));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', reviewService);
    await expect(summarize()).resolves.toEqual({ summary: { order, payment: null, delivery, reviews: [mine], degraded: ['payment'] } });
    expect([await degradedCount('payment'), await degradedCount('delivery'), await degradedCount('reviews')]).toEqual([1, 0, 0]);
  });

  it('leaves out a part answered with an error status or a body that is not JSON', async () => {
    const { upstreams, order, payment, summarize, degradedCount } = setup();
    const authorized = payment('AUTHORIZED', PLACED_AT + MINUTE);
    upstreams.on('payment', () => ({ status: 200, json: [authorized] }));
    upstreams.on('delivery', () => ({ status: 503, json: { status: 503, detail: 'database unavailable' } }));
    upstreams.on('review', () => ({ status: 200, text: '<html>a proxy error page</html>' }));
    await expect(summarize()).resolves.toEqual({ summary: { order, payment: authorized, delivery: null, reviews: [], degraded: ['delivery', 'reviews'] } });
    expect([await degradedCount('delivery'), await degradedCount('reviews')]).toEqual([1, 1]);
  });

  it('leaves out a part answered with JSON of another shape, rather than failing the summary or taking it for none', async () => {
    const { upstreams, order, summarize, degradedCount } = setup();
    upstreams.on('payment', () => ({ status: 200, json: { status: 'ok' } }));
    upstreams.on('delivery', () => ({ status: 200, json: {} }));
    upstreams.on('review', () => ({ status: 200, json: { reviews: [] } }));
    await expect(summarize()).resolves.toEqual({ summary: { order, payment: null, delivery: null, reviews: [], degraded: ['payment', 'delivery', 'reviews'] } });
    expect([await degradedCount('payment'), await degradedCount('delivery'), await degradedCount('reviews')]).toEqual([1, 1, 1]);
  });

  it('gives no reviews rather than some when one product’s reviews cannot be read', async () => {
    const { upstreams, order, kettle, mug, payment, delivery, review, reviews, reviewService, summarize } = setup();
    reviews.set(kettle, [review(kettle, DELIVERED_AT + MINUTE, order.id)]);
    upstreams.on('payment', () => ({ status: 200, json: [payment('AUTHORIZED', PLACED_AT)] }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', (path) => (path.includes(mug) ? { status: 500, json: { status: 500, detail: 'boom' } } : reviewService(path)));
    const result = await summarize();
    expect('summary' in result && result.summary).toMatchObject({ reviews: [], degraded: ['reviews'] });
  });

  it('costs no more than the parts’ deadline when a service hangs: that part is left out, the others are kept', async () => {
    jest.useFakeTimers({ now: DELIVERED_AT + 120 * MINUTE, doNotFake: ['nextTick', 'queueMicrotask'] });
    const { upstreams, order, kettle, delivery, review, reviews, reviewService, summarizeInTime } = setup();
    const mine = review(kettle, DELIVERED_AT + MINUTE, order.id);
    reviews.set(kettle, [mine]);
    upstreams.on('payment', () => ({ status: 200, json: [], afterMs: 60_000 }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery], afterMs: 200 }));
    upstreams.on('review', reviewService);
    const { summary, tookMs } = await summarizeInTime();
    expect(summary).toEqual({ order, payment: null, delivery, reviews: [mine], degraded: ['payment'] });
    expect(tookMs).toBe(PARTS_TIMEOUT_MS);
    expect(upstreams.calls.filter((c) => c.upstream !== 'order').every((c) => c.timeoutMs !== undefined && c.timeoutMs <= PARTS_TIMEOUT_MS)).toBe(true);
  });

  it('pages back through a product’s reviews to the order’s own, and stops at the pages written before its delivery', async () => {
    const { upstreams, order, kettle, mug, payment, delivery, review, reviews, reviewService, summarize } = setup();
    // 250 newer reviews of the kettle by others: this order's is on the third page
    const mine = review(kettle, DELIVERED_AT + MINUTE, order.id);
    reviews.set(kettle, [mine, ...Array.from({ length: 250 }, (_, i) => review(kettle, DELIVERED_AT + (2 + i) * MINUTE))]);
    // the mug was not reviewed for this order: its newest reviews are older than the delivery, so one page says so
    reviews.set(mug, Array.from({ length: 300 }, (_, i) => review(mug, DELIVERED_AT - (10 + i) * MINUTE)));
    upstreams.on('payment', () => ({ status: 200, json: [payment('AUTHORIZED', PLACED_AT)] }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', reviewService);
    await expect(summarize()).resolves.toMatchObject({ summary: { reviews: [mine], degraded: [] } });
    const pages = (productId: string) => upstreams.asked('review').filter((p) => p.includes(productId));
    expect(pages(kettle)).toHaveLength(3);
    expect(pages(mug)).toHaveLength(1);
    expect(pages(kettle)[0]).toContain(`limit=${REVIEWS_PAGE_SIZE}`);
  });

  it('finds a review the review service’s clock put minutes before the delivery', async () => {
    const { upstreams, order, mug, payment, delivery, review, reviews, reviewService, summarize } = setup();
    const mine = review(mug, DELIVERED_AT - 2 * MINUTE, order.id);
    // the first page reaches back to a minute before the delivery: within the clocks' skew, so the next page is read
    reviews.set(mug, [...Array.from({ length: REVIEWS_PAGE_SIZE }, (_, i) => review(mug, DELIVERED_AT + (i - 1) * MINUTE)), mine]);
    upstreams.on('payment', () => ({ status: 200, json: [payment('AUTHORIZED', PLACED_AT)] }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', reviewService);
    await expect(summarize()).resolves.toMatchObject({ summary: { reviews: [mine], degraded: [] } });
  });

  it('leaves the reviews out when their pages outlast the parts’ deadline', async () => {
    jest.useFakeTimers({ now: DELIVERED_AT + 600 * MINUTE, doNotFake: ['nextTick', 'queueMicrotask'] });
    const { upstreams, order, kettle, payment, delivery, review, reviews, reviewService, summarizeInTime } = setup();
    reviews.set(kettle, [review(kettle, DELIVERED_AT + MINUTE, order.id), ...Array.from({ length: 350 }, (_, i) => review(kettle, DELIVERED_AT + (2 + i) * MINUTE))]);
    const authorized = payment('AUTHORIZED', PLACED_AT);
    upstreams.on('payment', () => ({ status: 200, json: [authorized] }));
    upstreams.on('delivery', () => ({ status: 200, json: [delivery] }));
    upstreams.on('review', (path) => ({ ...(reviewService(path) as object), afterMs: 400 }) as Reply);
    const { summary, tookMs } = await summarizeInTime();
    expect(summary).toEqual({ order, payment: authorized, delivery, reviews: [], degraded: ['reviews'] });
    expect(tookMs).toBe(PARTS_TIMEOUT_MS);
  });

  it('looks for no reviews of an order not delivered yet: its summary is whole while the review service is down', async () => {
    const { upstreams, order, summarize, degradedCount } = setup('AWAITING_PAYMENT');
    upstreams.on('payment', () => ({ status: 200, json: [] }));
    upstreams.on('delivery', () => ({ status: 200, json: [] }));
    upstreams.on('review', () => new UpstreamUnreachableError('review', 'review: connect ECONNREFUSED', 1));
    // no payment or delivery yet is an answer, not a missing part
    await expect(summarize()).resolves.toEqual({ summary: { order, payment: null, delivery: null, reviews: [], degraded: [] } });
    expect(upstreams.asked('review')).toEqual([]);
    expect(await degradedCount('reviews')).toBe(0);
  });
});
