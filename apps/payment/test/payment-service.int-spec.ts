import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { PaymentPrismaService } from '@shop/payment/data-access';
import { DeadlineProvider, SimulatedPaymentProvider } from '@shop/payment/domain';
import { claimEvents, UnitTx } from '@shop/platform/messaging';
import { closeService, startServiceForTest } from '@shop/platform/service';
import { EventType, OrderAwaitingPaymentV1, Topics } from '@shop/shared/contracts';
import { authHeaders, useServiceStack } from '@shop/testing';
import { AuthorizePaymentHandler } from '../src/payments/authorize-payment/authorize-payment.handler';
import { PAYMENT_PROVIDER } from '../src/payments/payment.tokens';
import { paymentService } from '../src/payment.service';

/** The payment service against the real Postgres and Kafka. */
describe('payment service (real Postgres and Kafka)', () => {
  const s = useServiceStack<NestFastifyApplication>('payment', {
    start: (env) => startServiceForTest(paymentService, env),
    stop: closeService,
    consumes: [Topics.orderOrders],
    records: [Topics.paymentPayments],
  });
  const publish = (type: EventType, aggregateId: string, data: unknown, id?: string) => s.publish(type, aggregateId, data, { id });
  const prisma = () => s.app.get(PaymentPrismaService);
  const awaitingPayment = (over: Partial<OrderAwaitingPaymentV1> = {}): OrderAwaitingPaymentV1 => ({
    orderId: randomUUID(),
    customerId: `c-${randomUUID()}`,
    amountCents: 4999,
    currency: 'EUR',
    paymentToken: 'tok_visa',
    ...over,
  });
  const cancelled = (order: OrderAwaitingPaymentV1) => ({
    orderId: order.orderId,
    customerId: order.customerId,
    reason: 'CUSTOMER_REQUEST',
    previousStatus: 'CONFIRMED',
  });
  const paymentEvents = (orderId: string) => s.recorder.events.filter((e) => (e.event.data as { orderId: string }).orderId === orderId).map((e) => e.event.type);
  const outboxRows = (orderId: string) => prisma().outbox.count({ where: { key: orderId } });

  it('is live, and its status is ok because Postgres and Kafka both answer', async () => {
    expect((await fetch(`${s.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${s.url}/health/status`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, kafka: { status: 'ok' } } });
  });

  it('uses the simulated provider unless another is plugged in, behind a deadline on every call', () => {
    const provider = s.app.get(PAYMENT_PROVIDER);
    expect(provider).toBeInstanceOf(DeadlineProvider);
    expect((provider as DeadlineProvider).inner).toBeInstanceOf(SimulatedPaymentProvider);
  });

  it('authorizes an approved token, stores the payment in the payments schema and publishes payment.authorized', async () => {
    const order = awaitingPayment();
    await publish('order.awaiting-payment', order.orderId, order);
    const record = await s.recorder.waitFor('payment.authorized', order.orderId);
    const stored = await prisma().payment.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(stored).toMatchObject({
      customerId: order.customerId,
      status: 'AUTHORIZED',
      amountCents: 4999,
      currency: 'EUR',
      providerReference: `sim_auth_${order.orderId}`,
      declineReason: null,
      refundReference: null,
    });
    expect(record.key).toBe(order.orderId);
    expect(record.headers).toMatchObject({ 'event-id': record.event.id, 'event-type': 'payment.authorized' });
    expect(record.event).toMatchObject({
      type: 'payment.authorized',
      version: 1,
      source: 'payment',
      aggregateId: order.orderId,
      aggregateVersion: 1,
      data: { paymentId: stored.id, orderId: order.orderId, amountCents: 4999, currency: 'EUR' },
    });
    const [{ schema }] = await prisma().$queryRawUnsafe<Array<{ schema: string }>>(
      `select table_schema as schema from information_schema.tables where table_name = 'payments'`,
    );
    expect(schema).toBe('payments');
  });

  it('charges exactly the amount and currency of the event', async () => {
    const order = awaitingPayment({ amountCents: 123_457, currency: 'USD' });
    await publish('order.awaiting-payment', order.orderId, order);
    const record = await s.recorder.waitFor('payment.authorized', order.orderId);
    expect(record.event.data).toMatchObject({ amountCents: 123_457, currency: 'USD' });
    const stored = await prisma().payment.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect([stored.amountCents, stored.currency]).toEqual([123_457, 'USD']);
    const [view] = (await (await fetch(`${s.url}/api/payments?orderId=${order.orderId}`, { headers: await authHeaders(order.customerId) })).json()) as Array<{
      amountCents: number;
      currency: string;
    }>;
    expect(view).toMatchObject({ amountCents: 123_457, currency: 'USD' });
  });

  it('declines a tok_decline token and publishes payment.declined with the reason', async () => {
    const order = awaitingPayment({ paymentToken: 'tok_decline_x' });
    await publish('order.awaiting-payment', order.orderId, order);
    const record = await s.recorder.waitFor('payment.declined', order.orderId);
    const stored = await prisma().payment.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(stored).toMatchObject({ status: 'DECLINED', providerReference: null, declineReason: 'card_declined', amountCents: 4999 });
    expect(record.event).toMatchObject({ aggregateId: order.orderId, data: { paymentId: stored.id, orderId: order.orderId, reason: 'card_declined' } });
    expect(s.recorder.of('payment.authorized', order.orderId)).toHaveLength(0);
  });

  it('charges once and publishes once when the same event arrives twice, or the order is republished', async () => {
    const order = awaitingPayment();
    const first = await publish('order.awaiting-payment', order.orderId, order);
    await publish('order.awaiting-payment', order.orderId, order, first.id); // redelivery of the same event
    await s.recorder.waitFor('payment.authorized', order.orderId);
    await publish('order.awaiting-payment', order.orderId, { ...order, paymentToken: 'tok_decline_late' }); // a republish, new event id
    await s.settled();
    expect(await prisma().payment.count({ where: { orderId: order.orderId } })).toBe(1);
    expect(await prisma().payment.findUniqueOrThrow({ where: { orderId: order.orderId } })).toMatchObject({ status: 'AUTHORIZED' });
    expect(await outboxRows(order.orderId)).toBe(1);
    expect(paymentEvents(order.orderId)).toEqual(['payment.authorized']);
  });

  it('lets exactly one of several racing deliveries for one order write a payment and an event', async () => {
    const order = awaitingPayment();
    const handler = s.app.get(AuthorizePaymentHandler);
    const deliveries = Array.from({ length: 8 }, () => ({
      id: randomUUID(),
      type: 'order.awaiting-payment',
      version: 1,
      source: 'order',
      aggregateId: order.orderId,
      aggregateVersion: 1,
      occurredAt: new Date().toISOString(),
      data: order,
    }));
    // They all start at once; the order's guard lets one decide, and the others find its payment.
    const claim = (event: (typeof deliveries)[number]) => ({ claim: async (tx: UnitTx) => (await claimEvents(tx, 'payment', [event])).size > 0 });
    await Promise.all(deliveries.map((event) => handler.execute(event, claim(event))));
    expect(await prisma().payment.count({ where: { orderId: order.orderId } })).toBe(1);
    expect(await outboxRows(order.orderId)).toBe(1);
    await s.settled();
    expect(paymentEvents(order.orderId)).toEqual(['payment.authorized']);
  });

  it('refunds an authorized payment once when the order is cancelled, even if the cancel arrives twice', async () => {
    const order = awaitingPayment({ amountCents: 2500 });
    await publish('order.awaiting-payment', order.orderId, order);
    const authorized = await s.recorder.waitFor('payment.authorized', order.orderId);
    const cancel = await publish('order.cancelled', order.orderId, cancelled(order));
    await publish('order.cancelled', order.orderId, cancelled(order), cancel.id);
    const refunded = await s.recorder.waitFor('payment.refunded', order.orderId);
    expect(refunded.event).toMatchObject({
      type: 'payment.refunded',
      aggregateId: order.orderId,
      aggregateVersion: 2,
      data: { paymentId: (authorized.event.data as { paymentId: string }).paymentId, orderId: order.orderId, amountCents: 2500, currency: 'EUR' },
    });
    await publish('order.cancelled', order.orderId, cancelled(order)); // a republished cancel, new event id
    await s.settled();
    expect(await prisma().payment.findUniqueOrThrow({ where: { orderId: order.orderId } })).toMatchObject({
      status: 'REFUNDED',
      providerReference: `sim_auth_${order.orderId}`,
      refundReference: `sim_refund_${order.orderId}`,
    });
    expect(paymentEvents(order.orderId)).toEqual(['payment.authorized', 'payment.refunded']);
    expect(await outboxRows(order.orderId)).toBe(2);
  });

  it('does nothing when a declined order, or an order never charged, is cancelled', async () => {
    const declined = awaitingPayment({ paymentToken: 'tok_decline_x' });
    await publish('order.awaiting-payment', declined.orderId, declined);
    await s.recorder.waitFor('payment.declined', declined.orderId);
    await publish('order.cancelled', declined.orderId, { ...cancelled(declined), reason: 'PAYMENT_DECLINED', previousStatus: 'AWAITING_PAYMENT' });
    const neverCharged = awaitingPayment();
    await publish('order.cancelled', neverCharged.orderId, { ...cancelled(neverCharged), reason: 'OUT_OF_STOCK', previousStatus: 'PENDING' });
    await s.settled();
    expect(await prisma().payment.findUniqueOrThrow({ where: { orderId: declined.orderId } })).toMatchObject({ status: 'DECLINED', refundReference: null });
    expect(await prisma().payment.count({ where: { orderId: neverCharged.orderId } })).toBe(0);
    expect(paymentEvents(declined.orderId)).toEqual(['payment.declined']);
    expect(paymentEvents(neverCharged.orderId)).toEqual([]);
    expect(await outboxRows(declined.orderId)).toBe(1);
  });

  describe('GET /api/payments?orderId=', () => {
    let order: OrderAwaitingPaymentV1;
    let paymentId: string;

    beforeAll(async () => {
      order = awaitingPayment({ amountCents: 777 });
      await publish('order.awaiting-payment', order.orderId, order);
      paymentId = ((await s.recorder.waitFor('payment.authorized', order.orderId)).event.data as { paymentId: string }).paymentId;
    });

    const get = async (query: string, headers: Record<string, string> = {}) => fetch(`${s.url}/api/payments${query}`, { headers });

    it("lists the order's payment for its customer", async () => {
      const res = await get(`?orderId=${order.orderId}`, await authHeaders(order.customerId));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([
        { id: paymentId, orderId: order.orderId, status: 'AUTHORIZED', amountCents: 777, currency: 'EUR', createdAt: expect.any(String), updatedAt: expect.any(String) },
      ]);
    });

    it('lists it for an admin', async () => {
      const res = await get(`?orderId=${order.orderId}`, await authHeaders('admin-1', 'admin'));
      expect(res.status).toBe(200);
      expect(((await res.json()) as Array<{ id: string }>).map((p) => p.id)).toEqual([paymentId]);
    });

    it("answers 404 to another customer, saying nothing of the payment", async () => {
      const res = await get(`?orderId=${order.orderId}`, await authHeaders('someone-else'));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { status: number; detail: string };
      expect(body.status).toBe(404);
      expect(JSON.stringify(body)).not.toContain(paymentId);
    });

    it('answers an empty list for an order without payments', async () => {
      const res = await get(`?orderId=${randomUUID()}`, await authHeaders(order.customerId));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    });

    it('answers 401 without a token', async () => {
      const res = await get(`?orderId=${order.orderId}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it.each([
      ['a missing orderId', '', ['orderId']],
      ['an orderId that is not a uuid', '?orderId=not-a-uuid', ['orderId']],
      ['an unknown parameter', `?orderId=${randomUUID()}&status=AUTHORIZED`, ['(body)']],
    ])('answers 400 problem+json for %s', async (_, query, paths) => {
      const res = await get(query, await authHeaders(order.customerId));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors: Array<{ path: string }> };
      expect(body.errors.map((e) => e.path)).toEqual(paths);
    });
  });
});
