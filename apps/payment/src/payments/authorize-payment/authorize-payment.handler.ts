import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PaymentPrismaService } from '@shop/payment/data-access';
import { AuthorizeResult, PaymentEntity, PaymentProvider } from '@shop/payment/domain';
import { Outbox, recordInbox } from '@shop/platform/messaging';
import type { Envelope, OrderAwaitingPaymentV1 } from '@shop/shared/contracts';
import { lockOrderGuard, markAuthorizing } from '../order-guard';
import { paymentDecided, paymentRefunded, toDeadLetter, toRecord } from '../payment.mapper';
import { PAYMENT_GROUP, PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * Charges an order awaiting payment, once, and never leaves a charge on a
 * cancelled order. The provider is asked outside any transaction (a slow
 * provider holds no connection or lock), with the order id as its
 * idempotency key, so asking again after a crash charges nothing more.
 *
 * The order's guard row decides the race with a cancellation (see
 * RefundPaymentHandler): before asking, the handler notes under its lock that
 * it is authorizing, unless the order is cancelled already; after the answer,
 * it locks the guard again to store the payment. If the order was cancelled
 * in between, the cancellation found no payment and left the refund to this
 * handler: an approved authorization is refunded at once and stored as such.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    private readonly db: PaymentPrismaService,
    private readonly outbox: Outbox,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async execute(event: Envelope<OrderAwaitingPaymentV1>, group = PAYMENT_GROUP): Promise<void> {
    const { orderId, customerId, amountCents, currency, paymentToken } = event.data;
    const ask = await this.db.$transaction(async (tx) => {
      const guard = await lockOrderGuard(tx, orderId);
      // Decided already (redelivery, republish, replay), or cancelled before anything was asked: nothing to charge,
      // and the event is done. (Cancelled after an earlier attempt asked: ask again, the same answer comes back,
      // and the refund below settles it.)
      const decided = await tx.payment.findUnique({ where: { orderId }, select: { id: true } });
      if (decided || (guard.cancelled && !guard.authorizing)) {
        await recordInbox(tx, group, event);
        return false;
      }
      await markAuthorizing(tx, orderId);
      return true;
    });
    if (!ask) return;

    const decision = await this.provider.authorize({ orderId, amountCents, currency, token: paymentToken });
    const payment = this.born(decision, { id: randomUUID(), orderId, customerId, amountCents, currency });

    const lostToCancel = await this.db.$transaction(async (tx) => {
      const guard = await lockOrderGuard(tx, orderId);
      if (guard.cancelled && decision.approved && !(await tx.payment.findUnique({ where: { orderId }, select: { id: true } }))) return true;
      if (!(await recordInbox(tx, group, event))) return false;
      const { count } = await tx.payment.createMany({ data: [toRecord(payment)], skipDuplicates: true });
      if (count === 0) return false; // a concurrent delivery of the same request stored it first
      await this.outbox.append(tx, [paymentDecided(payment)]);
      return false;
    });
    if (lostToCancel) await this.refundLostAuthorization(event, payment, group);
  }

  /** The order was cancelled while the provider authorized: give the money back, then store the payment refunded. */
  private async refundLostAuthorization(event: Envelope<OrderAwaitingPaymentV1>, payment: PaymentEntity, group: string): Promise<void> {
    const p = payment.snapshot;
    const decision = paymentDecided(payment);
    const refund = await this.provider.refund({ orderId: p.orderId, reference: p.providerReference ?? '', amountCents: p.amountCents, currency: p.currency });
    try {
      payment.refund(refund.reference);
    } catch (err) {
      throw toDeadLetter(err);
    }
    await this.db.$transaction(async (tx) => {
      await lockOrderGuard(tx, p.orderId);
      if (!(await recordInbox(tx, group, event))) return;
      const { count } = await tx.payment.createMany({ data: [toRecord(payment)], skipDuplicates: true });
      if (count === 0) return;
      await this.outbox.append(tx, [decision, paymentRefunded(payment)]);
    });
  }

  private born(decision: AuthorizeResult, charge: { id: string; orderId: string; customerId: string; amountCents: number; currency: string }): PaymentEntity {
    try {
      return decision.approved
        ? PaymentEntity.authorized({ ...charge, reference: decision.reference })
        : PaymentEntity.declined({ ...charge, reason: decision.reason });
    } catch (err) {
      throw toDeadLetter(err);
    }
  }
}
