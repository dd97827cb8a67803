import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { PaymentPrismaService } from '@shop/payment/data-access';
import { AuthorizeRequest, AuthorizeResult, PaymentProvider, RefundRequest, RefundResult, SimulatedPaymentProvider } from '@shop/payment/domain';
import { claimEvents, EventContext } from '@shop/platform/messaging';
import { closeService, startServiceForTest } from '@shop/platform/service';
import type { Envelope, OrderAwaitingPaymentV1, OrderCancelledV1 } from '@shop/shared/contracts';
import { createTestDatabase, eventRecord, TEST_JWT_SECRET, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { AppModule } from '../src/app.module';
import { AuthorizePaymentHandler } from '../src/payments/authorize-payment/authorize-payment.handler';
import { RefundPaymentHandler } from '../src/payments/refund-payment/refund-payment.handler';
import { paymentService } from '../src/payment.service';

/**
 * A provider that keeps its own books (what it authorized and refunded, as a
 * real one does) and can hold an authorization mid-call, or lose its answer
 * after deciding, so a test decides exactly how the two handlers interleave.
 */
class LatchedProvider implements PaymentProvider {
  private readonly simulated = new SimulatedPaymentProvider();
  readonly authorized = new Set<string>();
  readonly refunded = new Set<string>();
  private readonly holds = new Map<string, { entered: () => void; release: Promise<void> }>();
  private readonly lostAnswers = new Set<string>();

  /** The next authorize for this order stops after deciding until `release` is called. */
  hold(orderId: string): { entered: Promise<void>; release: () => void } {
    let entered!: () => void;
    let release!: () => void;
    const enteredP = new Promise<void>((r) => (entered = r));
    this.holds.set(orderId, { entered, release: new Promise<void>((r) => (release = r)) });
    return { entered: enteredP, release };
  }

  /** The next authorize for this order decides, then fails as if the connection dropped before the answer. */
  loseAnswer(orderId: string): void {
    this.lostAnswers.add(orderId);
  }

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    const result = await this.simulated.authorize(request);
    if (result.approved) this.authorized.add(request.orderId);
    const hold = this.holds.get(request.orderId);
    if (hold) {
      this.holds.delete(request.orderId);
      hold.entered();
      await hold.release;
    }
    if (this.lostAnswers.delete(request.orderId)) throw new Error('provider connection reset after the decision');
    return result;
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const result = await this.simulated.refund(request);
    this.refunded.add(request.orderId);
    return result;
  }
}

/**
 * docs/contract.md: "A customer's cancel racing the lifecycle never leaves
 * a charge behind." The authorization and the refund of one order, run side
 * by side in every order that matters, many times.
 */
describe('payment: authorization racing a cancellation', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let app: NestFastifyApplication;
  let prisma: PaymentPrismaService;
  let authorizeHandler: AuthorizePaymentHandler;
  let refundHandler: RefundPaymentHandler;
  const provider = new LatchedProvider();
  /** What the consumer hands an isolated handler: the way to record the event in the group's inbox. */
  const consumed = (event: Envelope): Pick<EventContext, 'claim'> => ({ claim: async (tx) => (await claimEvents(tx, 'payment', [event])).size > 0 });
  const authorize = { execute: (e: Envelope<OrderAwaitingPaymentV1>) => authorizeHandler.execute(e, consumed(e)) };
  const refund = { execute: (e: Envelope<OrderCancelledV1>) => refundHandler.execute(e, consumed(e)) };

  const awaiting = (): Envelope<OrderAwaitingPaymentV1> => {
    const orderId = randomUUID();
    const data = { orderId, customerId: `c-${orderId.slice(0, 8)}`, amountCents: 2500, currency: 'EUR', paymentToken: 'tok_visa' };
    return eventRecord('order.awaiting-payment', orderId, data).envelope as Envelope<OrderAwaitingPaymentV1>;
  };
  const cancelled = (order: Envelope<OrderAwaitingPaymentV1>): Envelope<OrderCancelledV1> =>
    eventRecord('order.cancelled', order.data.orderId, {
      orderId: order.data.orderId,
      customerId: order.data.customerId,
      reason: 'CUSTOMER_REQUEST',
      previousStatus: 'AWAITING_PAYMENT',
    }).envelope as Envelope<OrderCancelledV1>;

  /** What the books say once both handlers are done: never money held for a cancelled order. */
  async function expectNoChargeLeft(orderId: string): Promise<void> {
    const payment = await prisma.payment.findUnique({ where: { orderId } });
    expect(payment?.status ?? 'none').not.toBe('AUTHORIZED');
    if (provider.authorized.has(orderId)) {
      expect({ orderId, refundedAtProvider: provider.refunded.has(orderId) }).toEqual({ orderId, refundedAtProvider: true });
      expect(payment?.status).toBe('REFUNDED');
      const types = (await prisma.outbox.findMany({ where: { key: orderId }, orderBy: { seq: 'asc' } })).map((r) => r.type);
      expect(types).toContain('payment.refunded');
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('payment');
    kafka = useKafka();
    ({ app } = await startServiceForTest(
      { ...paymentService, module: (config, registry) => AppModule.forRoot(config, registry, { paymentProvider: provider }) },
      {
        DATABASE_URL: db.urlFor('payment'),
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_TOPIC_PREFIX: `${kafka.prefix}.`,
        JWT_SECRET: TEST_JWT_SECRET,
      },
    ));
    prisma = app.get(PaymentPrismaService);
    authorizeHandler = app.get(AuthorizePaymentHandler);
    refundHandler = app.get(RefundPaymentHandler);
  });

  afterAll(async () => {
    await closeService(app);
    await kafka?.cleanup();
    await db?.drop();
  });

  it('refunds an authorization that was in flight while the cancellation was applied (20 times)', async () => {
    for (let i = 0; i < 20; i++) {
      const order = awaiting();
      const held = provider.hold(order.data.orderId);
      const authorizing = authorize.execute(order);
      await held.entered; // the provider has authorized; the handler has not stored it yet
      await refund.execute(cancelled(order));
      held.release();
      await authorizing;
      await expectNoChargeLeft(order.data.orderId);
    }
  });

  it('refunds an authorization whose answer was lost, when it is retried after the cancellation (10 times)', async () => {
    for (let i = 0; i < 10; i++) {
      const order = awaiting();
      provider.loseAnswer(order.data.orderId);
      await expect(authorize.execute(order)).rejects.toThrow(/connection reset/);
      await refund.execute(cancelled(order));
      await authorize.execute(order); // the same event again, from a retry tier
      await expectNoChargeLeft(order.data.orderId);
    }
  });

  it('charges nothing when the cancellation came first, and refunds when the authorization came first', async () => {
    const first = awaiting();
    await refund.execute(cancelled(first));
    await authorize.execute(first);
    expect(provider.authorized.has(first.data.orderId)).toBe(false);
    expect(await prisma.payment.findUnique({ where: { orderId: first.data.orderId } })).toBeNull();

    const second = awaiting();
    await authorize.execute(second);
    await refund.execute(cancelled(second));
    expect((await prisma.payment.findUniqueOrThrow({ where: { orderId: second.data.orderId } })).status).toBe('REFUNDED');
    await expectNoChargeLeft(second.data.orderId);
  });

  it('settles both handlers run at once with random delays on many orders, each once', async () => {
    const orders = Array.from({ length: 30 }, awaiting);
    const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 20));
    await Promise.all(
      orders.map(async (order) => {
        await Promise.all([jitter().then(() => authorize.execute(order)), jitter().then(() => refund.execute(cancelled(order)))]);
      }),
    );
    for (const order of orders) await expectNoChargeLeft(order.data.orderId);
    const refunds = await prisma.outbox.count({ where: { type: 'payment.refunded', key: { in: orders.map((o) => o.data.orderId) } } });
    expect(refunds).toBe(orders.filter((o) => provider.authorized.has(o.data.orderId)).length);
  });
});
