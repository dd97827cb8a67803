import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { closeService, startServiceForTest } from '@shop/platform/service';
import { DeliveryView, Envelope, EventType, Topics } from '@shop/shared/contracts';
import { authHeaders, eventually, EventRecorder, useServiceStack } from '@shop/testing';
import { deliveryService } from '../src/delivery.service';

const address = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Seoul', postalCode: '04524', country: 'KR' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One database, one topic prefix and one or more instances of the delivery
 * service, with the courier delays under test. Each describe below gets its
 * own, so the courier of one never moves the deliveries of another.
 */
function useDeliveryStack(delays: { dispatch: number; complete: number }, instances = 1) {
  const base = useServiceStack<NestFastifyApplication>('delivery', {
    start: (env) => startServiceForTest(deliveryService, env),
    stop: closeService,
    consumes: [Topics.orderOrders],
    records: [Topics.deliveryDeliveries],
    env: { COURIER_POLL_INTERVAL_MS: '100', DELIVERY_DISPATCH_DELAY_MS: String(delays.dispatch), DELIVERY_COMPLETE_DELAY_MS: String(delays.complete) },
    instances,
  });
  let deadLetters: EventRecorder;
  beforeAll(async () => {
    deadLetters = new EventRecorder(base.kafka.kafka(), [`${base.topic(Topics.orderOrders)}.${base.kafka.prefix}.delivery.dlt`]);
    await deadLetters.start();
  });
  afterAll(async () => {
    await deadLetters?.stop();
  });

  const stack = {
    get kafka() {
      return base.kafka;
    },
    get url() {
      return base.url;
    },
    get apps() {
      return base.apps;
    },
    get urls() {
      return base.urls;
    },
    get recorder() {
      return base.recorder;
    },
    get deadLetters() {
      return deadLetters;
    },
    get prisma() {
      return base.app.get(DeliveryPrismaService);
    },
    env: base.env,
    startInstance: base.startInstance,
    stopInstance: base.stopInstance,
    settled: base.settled,
    /** Publishes an order event as the order service would: keyed by the order, id and type in headers. */
    publish(type: EventType, orderId: string, data: unknown, id?: string): Promise<Envelope> {
      return base.publish(type, orderId, data, { id });
    },
    async confirm(orderId = randomUUID(), customerId = 'customer-1'): Promise<{ orderId: string; event: Envelope }> {
      return { orderId, event: await stack.publish('order.confirmed', orderId, { orderId, customerId, shippingAddress: address }) };
    },
    /** The customer asks to cancel a confirmed order: the delivery service decides against the courier. */
    async cancel(orderId: string, id?: string): Promise<Envelope> {
      return stack.publish('order.cancel-requested', orderId, { orderId, customerId: 'customer-1', reason: 'CUSTOMER_REQUEST' }, id);
    },
    /** Every delivery event for one order, in the order the broker delivered them. */
    eventsOf(orderId: string) {
      return base.recorder.events.filter((e) => (e.event.data as { orderId?: string }).orderId === orderId);
    },
    async scheduled(orderId: string): Promise<string> {
      const found = await eventually(() => {
        const e = stack.eventsOf(orderId).find((r) => r.event.type === 'delivery.scheduled');
        if (!e) throw new Error(`no delivery.scheduled for order ${orderId}`);
        return e;
      });
      return (found.event.data as { deliveryId: string }).deliveryId;
    },
    /** A POST without a body, so without a content type (Fastify refuses an empty JSON body). */
    async advance(id: string, as: { sub: string; role: 'customer' | 'admin' } = { sub: 'admin-1', role: 'admin' }): Promise<Response> {
      const { authorization } = await authHeaders(as.sub, as.role);
      return fetch(`${base.url}/api/admin/deliveries/${id}/advance`, { method: 'POST', headers: { authorization } });
    },
  };
  return stack;
}

describe('delivery service (real Postgres and Kafka)', () => {
  describe('with courier delays of 0, on two instances', () => {
    const s = useDeliveryStack({ dispatch: 0, complete: 0 }, 2);

    it('is live, and its status is ok on each instance because Postgres and Kafka both answer', async () => {
      for (const url of s.urls) {
        expect((await fetch(`${url}/health/live`)).status).toBe(200);
        const ready = await fetch(`${url}/health/status`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, kafka: { status: 'ok' } } });
      }
    });

    it('schedules, dispatches and delivers a confirmed order by itself, in order, within a second', async () => {
      const started = Date.now();
      const { orderId } = await s.confirm();
      // Timed to the broker's acknowledgement of delivery.delivered (the outbox row's published_at),
      // so the test consumer's own start-up does not count.
      const published = await eventually(async () => {
        const rows = await s.prisma.outbox.findMany({ where: { type: 'delivery.delivered', payload: { path: ['data', 'orderId'], equals: orderId } } });
        if (!rows[0]?.publishedAt) throw new Error('delivery.delivered not published yet');
        return rows[0].publishedAt;
      }, 5_000, 10);
      expect(published.getTime() - started).toBeLessThan(1_000);
      const delivered = await eventually(() => {
        const e = s.eventsOf(orderId).find((r) => r.event.type === 'delivery.delivered');
        if (!e) throw new Error('not received yet');
        return e;
      });

      const events = s.eventsOf(orderId);
      expect(events.map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered']);
      expect(events.map((e) => e.event.aggregateVersion)).toEqual([1, 2, 3]);
      const deliveryId = (delivered.event.data as { deliveryId: string }).deliveryId;
      for (const e of events) {
        expect(e.event).toMatchObject({ source: 'delivery', aggregateId: deliveryId, data: { deliveryId, orderId } });
        expect(e.key).toBe(deliveryId);
        expect(e.headers).toMatchObject({ 'event-id': e.event.id, 'event-type': e.event.type });
      }

      const row = await s.prisma.delivery.findUniqueOrThrow({ where: { orderId } });
      expect(row).toMatchObject({ id: deliveryId, status: 'DELIVERED', customerId: 'customer-1', shippingAddress: address, version: 3, cancelledAt: null });
      const [created, dispatched, deliveredAt] = [row.createdAt, row.dispatchedAt, row.deliveredAt].map((d) => d?.getTime() ?? Number.NaN);
      expect(dispatched).toBeGreaterThanOrEqual(created);
      expect(deliveredAt).toBeGreaterThanOrEqual(dispatched);
      expect(deliveredAt - created).toBeLessThan(1_000);
    });

    it('creates one delivery for an order confirmed twice, whether redelivered or re-sent under a new id', async () => {
      const { orderId, event } = await s.confirm();
      await s.publish('order.confirmed', orderId, event.data, event.id); // the same event, redelivered
      await s.publish('order.confirmed', orderId, event.data); // the same fact under another event id
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toContain('delivery.delivered'));
      await s.settled();
      expect(await s.prisma.delivery.count({ where: { orderId } })).toBe(1);
      expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered']);
    });

    it('never takes a step twice when two instances race for the same deliveries (FOR UPDATE SKIP LOCKED)', async () => {
      const orders = Array.from({ length: 40 }, () => randomUUID());
      await Promise.all(orders.map((orderId) => s.confirm(orderId)));
      await eventually(() => {
        const done = orders.filter((o) => s.eventsOf(o).some((e) => e.event.type === 'delivery.delivered'));
        expect(done).toHaveLength(40);
      }, 30_000);
      await s.settled();
      for (const orderId of orders) {
        expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered']);
      }
      const outbox = await s.prisma.outbox.groupBy({ by: ['type'], where: { type: { in: ['delivery.dispatched', 'delivery.delivered'] } }, _count: true });
      // 40 here plus the 2 orders of the tests above, each step written exactly once.
      expect(Object.fromEntries(outbox.map((g) => [g.type, g._count]))).toEqual({ 'delivery.dispatched': 42, 'delivery.delivered': 42 });
    });

    it('leaves a delivered delivery as it is when its order is cancelled afterwards', async () => {
      const { orderId } = await s.confirm();
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toContain('delivery.delivered'));
      await s.cancel(orderId);
      await s.settled();
      expect((await s.prisma.delivery.findUniqueOrThrow({ where: { orderId } })).status).toBe('DELIVERED');
      expect(s.eventsOf(orderId).map((e) => e.event.type)).not.toContain('delivery.cancelled');
    });
  });

  describe('with courier delays of -1 (only the admin advance route moves a delivery)', () => {
    const s = useDeliveryStack({ dispatch: -1, complete: -1 });
    const get = async (orderId: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/api/deliveries?orderId=${orderId}`, { headers });

    it('keeps a delivery SCHEDULED until an admin advances it, one step at a time, then refuses with 409', async () => {
      const { orderId } = await s.confirm();
      const id = await s.scheduled(orderId);
      await sleep(600);
      expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled']);
      expect((await s.prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe('SCHEDULED');

      const first = await s.advance(id);
      expect(first.status).toBe(200);
      const dispatched = (await first.json()) as DeliveryView;
      expect(dispatched).toEqual({ id, orderId, status: 'DISPATCHED', updatedAt: expect.any(String) });
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched']));
      await sleep(400);
      expect((await s.prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe('DISPATCHED');

      const second = await s.advance(id);
      expect(second.status).toBe(200);
      const delivered = (await second.json()) as DeliveryView;
      expect(delivered).toMatchObject({ id, orderId, status: 'DELIVERED' });
      expect(Date.parse(delivered.updatedAt)).toBeGreaterThanOrEqual(Date.parse(dispatched.updatedAt));
      await eventually(() =>
        expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered']),
      );

      const third = await s.advance(id);
      expect(third.status).toBe(409);
      expect(third.headers.get('content-type')).toContain('application/problem+json');
      expect(await third.json()).toMatchObject({ status: 409, code: 'ALREADY_DELIVERED' });
      const row = await s.prisma.delivery.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'DELIVERED', version: 3 });
      expect(row.dispatchedAt).not.toBeNull();
      expect(row.deliveredAt).not.toBeNull();
    });

    it('guards the advance route: 401 without a token, 403 for a customer, 404 for an unknown or malformed id', async () => {
      const { orderId } = await s.confirm();
      const id = await s.scheduled(orderId);
      const noToken = await fetch(`${s.url}/api/admin/deliveries/${id}/advance`, { method: 'POST' });
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get('content-type')).toContain('application/problem+json');
      expect((await s.advance(id, { sub: 'customer-1', role: 'customer' })).status).toBe(403);
      expect((await s.advance(randomUUID())).status).toBe(404);
      const malformed = await s.advance('not-a-uuid');
      expect(malformed.status).toBe(404);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');
      expect((await s.prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe('SCHEDULED');
    });

    it('cancels a SCHEDULED delivery once, even when the cancellation arrives twice, and refuses to advance it after', async () => {
      const { orderId } = await s.confirm();
      const id = await s.scheduled(orderId);
      const cancel = await s.cancel(orderId);
      await s.cancel(orderId, cancel.id); // redelivery of the same event
      await s.cancel(orderId); // the same fact under another event id
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toContain('delivery.cancelled'));
      await s.settled();
      const cancelled = s.eventsOf(orderId).filter((e) => e.event.type === 'delivery.cancelled');
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0].event).toMatchObject({ aggregateId: id, aggregateVersion: 2, data: { deliveryId: id, orderId, reason: 'CUSTOMER_REQUEST' } });
      const row = await s.prisma.delivery.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'CANCELLED', version: 2, dispatchedAt: null });
      expect(row.cancelledAt).toBeInstanceOf(Date);

      const refused = await s.advance(id);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: 'ALREADY_CANCELLED' });
    });

    it('keeps a dispatched delivery dispatched when its order is cancelled', async () => {
      const { orderId } = await s.confirm();
      const id = await s.scheduled(orderId);
      expect((await s.advance(id)).status).toBe(200);
      await s.cancel(orderId);
      await s.settled();
      expect((await s.prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe('DISPATCHED');
      expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched']);
    });

    it('settles a cancel that came before its confirmation (which waited in a retry tier) when the confirmation comes: cancelled, never dispatched', async () => {
      const orderId = randomUUID();
      await s.cancel(orderId);
      await s.confirm(orderId);
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.cancelled']));
      const row = await s.prisma.delivery.findUniqueOrThrow({ where: { orderId } });
      expect(row).toMatchObject({ status: 'CANCELLED', dispatchedAt: null });
      expect((await s.advance(row.id)).status).toBe(409);
    });

    it('dead-letters a confirmation whose address a courier cannot use, writing nothing', async () => {
      const orderId = randomUUID();
      await s.publish('order.confirmed', orderId, { orderId, customerId: 'customer-1', shippingAddress: { ...address, city: ' ' } });
      const parked = await s.deadLetters.waitFor('order.confirmed', orderId);
      expect(parked.headers['kafka_dlt-exception-message']).toContain('shippingAddress.city must not be empty');
      expect(parked.headers['retry_topic-attempts']).toBe('1'); // a broken rule is not retried
      expect(await s.prisma.delivery.count({ where: { orderId } })).toBe(0);
      expect(s.eventsOf(orderId)).toEqual([]);
    });

    it('shows an order\'s delivery to its customer and to admins only', async () => {
      const { orderId } = await s.confirm(randomUUID(), 'owner-7');
      const id = await s.scheduled(orderId);

      const owner = await get(orderId, await authHeaders('owner-7'));
      expect(owner.status).toBe(200);
      const views = (await owner.json()) as DeliveryView[];
      expect(views).toEqual([{ id, orderId, status: 'SCHEDULED', updatedAt: expect.any(String) }]);
      expect(Number.isNaN(Date.parse(views[0].updatedAt))).toBe(false);

      const admin = await get(orderId, await authHeaders('admin-1', 'admin'));
      expect(admin.status).toBe(200);
      expect(await admin.json()).toEqual(views);

      const other = await get(orderId, await authHeaders('someone-else'));
      expect(other.status).toBe(404);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(await other.json()).toMatchObject({ status: 404, title: 'Not Found', detail: `no order with id ${orderId}`, code: 'NOT_FOUND' });

      expect((await get(orderId)).status).toBe(401);

      const none = await get(randomUUID(), await authHeaders('owner-7'));
      expect(none.status).toBe(200);
      expect(await none.json()).toEqual([]);
    });

    it('answers a bad query with 400 problem+json naming the field', async () => {
      const headers = await authHeaders('owner-7');
      const bad = await fetch(`${s.url}/api/deliveries?orderId=nope`, { headers });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(['orderId']);
      expect((await fetch(`${s.url}/api/deliveries`, { headers })).status).toBe(400);
      expect((await fetch(`${s.url}/api/deliveries?orderId=${randomUUID()}&status=SCHEDULED`, { headers })).status).toBe(400);
    });
  });

  describe('across a restart (the courier works from the database, not from timers)', () => {
    const s = useDeliveryStack({ dispatch: -1, complete: -1 });

    it('moves, after a restart, a delivery scheduled before it by an instance that had no courier', async () => {
      const { orderId } = await s.confirm();
      const { id } = await eventually(() => s.prisma.delivery.findUniqueOrThrow({ where: { orderId } }));
      await s.stopInstance(s.apps[0]);
      // The new instance never sees order.confirmed again (committed, and in the inbox): only the table tells it what is due.
      await s.startInstance({ DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' });
      await eventually(() => expect(s.eventsOf(orderId).map((e) => e.event.type)).toEqual(['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered']));
      expect(await s.prisma.delivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DELIVERED', version: 3 });
      expect(await s.prisma.inbox.count({ where: { eventType: 'order.confirmed' } })).toBe(1);
    });
  });
});
