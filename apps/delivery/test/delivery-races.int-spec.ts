import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { DeliveryRepository } from '@shop/delivery/domain';
import { UnitOfWork } from '@shop/platform/messaging';
import { closeService, startServiceForTest } from '@shop/platform/service';
import type { Envelope, OrderCancelRequestedV1, OrderConfirmedV1 } from '@shop/shared/contracts';
import { createTestDatabase, eventually, eventRecord, TEST_JWT_SECRET, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { AdvanceDueDeliveriesHandler } from '../src/deliveries/advance-delivery/advance-due-deliveries.handler';
import { CancelDeliveryHandler } from '../src/deliveries/cancel-delivery/cancel-delivery.handler';
import { DeliveryDueSignal } from '../src/deliveries/delivery-due.signal';
import { ScheduleDeliveryHandler } from '../src/deliveries/schedule-delivery/schedule-delivery.handler';
import { CourierService } from '../src/courier/courier.service';
import { deliveryService } from '../src/delivery.service';

/**
 * docs/contract.md: "A customer's cancel racing the lifecycle never leaves
 * a parcel behind." Scheduling (order.confirmed, late from a retry tier) and
 * cancelling (order.cancelled) of one order, interleaved on purpose: a test
 * session holds a SHARE lock on the deliveries table, so the scheduling
 * transaction stops right at its insert, after everything it decided on, while
 * the cancellation runs to its end.
 */
describe('delivery: scheduling racing a cancellation', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let app: NestFastifyApplication;
  let prisma: DeliveryPrismaService;
  let schedule: { execute(e: Envelope<OrderConfirmedV1>): Promise<unknown> };
  let cancel: { execute(e: Envelope<OrderCancelRequestedV1>): Promise<unknown> };
  let courier: CourierService;
  let blocker: Client;

  const confirmed = (): Envelope<OrderConfirmedV1> => {
    const orderId = randomUUID();
    const data = {
      orderId,
      customerId: `c-${orderId.slice(0, 8)}`,
      shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    };
    return eventRecord('order.confirmed', orderId, data).envelope as Envelope<OrderConfirmedV1>;
  };
  const cancelled = (order: Envelope<OrderConfirmedV1>): Envelope<OrderCancelRequestedV1> =>
    eventRecord('order.cancel-requested', order.data.orderId, {
      orderId: order.data.orderId,
      customerId: order.data.customerId,
      reason: 'CUSTOMER_REQUEST',
    }).envelope as Envelope<OrderCancelRequestedV1>;

  /** True once some session of this database waits for a lock on the deliveries table. */
  async function someoneWaitsForDeliveries(): Promise<boolean> {
    const { rows } = await blocker.query<{ n: number }>(
      `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
        where not l.granted and c.relname = 'deliveries'`,
    );
    return rows[0].n > 0;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('delivery');
    kafka = useKafka();
    ({ app } = await startServiceForTest(deliveryService, {
      DATABASE_URL: db.urlFor('delivery'),
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${kafka.prefix}.`,
      JWT_SECRET: TEST_JWT_SECRET,
      // The courier must not move a parcel on its own while the test looks at it.
      DELIVERY_DISPATCH_DELAY_MS: '-1',
      DELIVERY_COMPLETE_DELAY_MS: '-1',
    }));
    prisma = app.get(DeliveryPrismaService);
    // Each handler in a unit of work of its own, as the consumer runs a record that is alone in its batch.
    const unitOfWork = app.get(UnitOfWork);
    schedule = { execute: (e) => unitOfWork.run((tx) => app.get(ScheduleDeliveryHandler).execute(tx, e.data)) };
    cancel = { execute: (e) => unitOfWork.run((tx) => app.get(CancelDeliveryHandler).execute(tx, e.data)) };
    // The courier's step as its loop takes it, dispatching at once (its loop not started: the test drives it).
    const round = new AdvanceDueDeliveriesHandler(unitOfWork, app.get(DeliveryRepository));
    courier = new CourierService(round, new DeliveryDueSignal(), { dispatchDelayMs: 0, completeDelayMs: -1, pollIntervalMs: 60_000 });
    blocker = new Client({ connectionString: db.urlFor('delivery'), options: '-c search_path=deliveries' });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.end();
    await closeService(app);
    await kafka?.cleanup();
    await db?.drop();
  });

  it('never leaves a scheduled parcel for a cancelled order, whichever commits first (15 times)', async () => {
    for (let i = 0; i < 15; i++) {
      const order = confirmed();
      await blocker.query('begin');
      await blocker.query('lock table deliveries in share mode');
      const scheduling = schedule.execute(order);
      let released = false;
      try {
        await eventually(async () => expect(await someoneWaitsForDeliveries()).toBe(true), 10_000);
        // The cancellation runs while scheduling waits at its insert; with an arbiter, it waits for scheduling.
        const cancelling = cancel.execute(cancelled(order));
        const settled = await Promise.race([cancelling.then(() => 'cancel done'), new Promise((r) => setTimeout(() => r('cancel waits'), 300))]);
        await blocker.query('commit');
        released = true;
        await Promise.all([scheduling, cancelling]);
        const delivery = await prisma.delivery.findUnique({ where: { orderId: order.data.orderId } });
        expect({ i, settled, status: delivery?.status }).toEqual({ i, settled, status: 'CANCELLED' });
      } finally {
        if (!released) await blocker.query('rollback');
      }
    }
  });

  it('records a delivery cancelled at once when the cancel came first, and cancels what was scheduled', async () => {
    const late = confirmed();
    await cancel.execute(cancelled(late));
    await schedule.execute(late);
    expect((await prisma.delivery.findUniqueOrThrow({ where: { orderId: late.data.orderId } })).status).toBe('CANCELLED');

    const early = confirmed();
    await schedule.execute(early);
    await cancel.execute(cancelled(early));
    expect((await prisma.delivery.findUniqueOrThrow({ where: { orderId: early.data.orderId } })).status).toBe('CANCELLED');
  });

  it('settles both handlers run at once with random delays on many orders', async () => {
    const orders = Array.from({ length: 30 }, confirmed);
    const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 20));
    await Promise.all(
      orders.map((order) => Promise.all([jitter().then(() => schedule.execute(order)), jitter().then(() => cancel.execute(cancelled(order)))])),
    );
    const left = await prisma.delivery.count({ where: { orderId: { in: orders.map((o) => o.data.orderId) }, status: { not: 'CANCELLED' } } });
    expect(left).toBe(0);
  });

  it("decides a cancel racing the courier's dispatch once per order: called off and never dispatched, or dispatched and never called off (60 orders)", async () => {
    const orders = Array.from({ length: 60 }, confirmed);
    for (const order of orders) await schedule.execute(order);
    const ids = orders.map((o) => o.data.orderId);
    const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 5));
    const dispatching = (async () => {
      for (let left = 60; left > 0; left -= 1) if (!(await courier.stepOne())) await jitter();
    })();
    await Promise.all([dispatching, ...orders.map((order) => jitter().then(() => cancel.execute(cancelled(order))))]);
    const rows = await prisma.delivery.findMany({ where: { orderId: { in: ids } } });
    const outbox = await prisma.outbox.findMany({ where: { type: { in: ['delivery.dispatched', 'delivery.cancelled'] } } });
    const told = (deliveryId: string) => outbox.filter((o) => o.key === deliveryId).map((o) => o.type).sort();
    for (const row of rows) {
      if (row.status === 'CANCELLED') expect({ row: row.id, told: told(row.id), dispatchedAt: row.dispatchedAt }).toEqual({ row: row.id, told: ['delivery.cancelled'], dispatchedAt: null });
      else expect({ row: row.id, status: row.status, told: told(row.id) }).toEqual({ row: row.id, status: expect.stringMatching(/DISPATCHED|DELIVERED/), told: expect.arrayContaining(['delivery.dispatched']) });
      expect(told(row.id)).not.toEqual(expect.arrayContaining(['delivery.dispatched', 'delivery.cancelled']));
    }
    expect(rows).toHaveLength(60);
  });
});
