import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuthorizeResult, PaymentEntity, PaymentProvider, PaymentRepository } from '@shop/payment/domain';
import { EventContext, UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderAwaitingPaymentV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../payment.mapper';
import { PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * Charges an order awaiting payment, once, and never leaves a charge on a
 * cancelled order. The provider is asked outside any transaction (a slow
 * provider holds no connection or lock), with the order id as its
 * idempotency key, so asking again after a crash charges nothing more.
 *
 * The order's guard decides the race with a cancellation (see
 * RefundPaymentHandler): before asking, the handler notes under the guard's
 * lock that it is authorizing, unless the order is cancelled already; after
 * the answer, it takes the lock again to store the payment. If the order was
 * cancelled in between, the cancellation found no payment and left the refund
 * to this handler: an approved authorization is refunded at once and stored
 * as such. Every outcome records the event in the inbox.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository<UnitTx>,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async execute(event: Envelope<OrderAwaitingPaymentV1>, context: Pick<EventContext, 'claim'>): Promise<void> {
    const { orderId, customerId, amountCents, currency, paymentToken } = event.data;
    const ask = await this.unitOfWork.run(async (tx) => {
      const order = await this.payments.guard(tx, orderId);
      // Decided already (redelivery, republish, replay), or cancelled before anything was asked: nothing to
      // charge, and the event is done. (Cancelled after an earlier attempt asked: ask again, the same answer
      // comes back, and the refund below settles it.)
      if (order.payment || (order.cancelled && !order.authorizing)) {
        await context.claim(tx);
        return false;
      }
      this.payments.markAuthorizing(tx, orderId);
      return true;
    });
    if (!ask) return;

    const decision = await this.provider.authorize({ orderId, amountCents, currency, token: paymentToken });
    const payment = born(decision, { id: randomUUID(), orderId, customerId, amountCents, currency });

    const lostToCancel = await this.unitOfWork.run(async (tx) => {
      const order = await this.payments.guard(tx, orderId);
      if (!order.payment && order.cancelled && decision.approved) return true;
      if (!(await context.claim(tx)) || order.payment) return false;
      this.payments.add(tx, payment);
      tx.publish(...toOutboundEvents(payment, payment.pullEvents()));
      return false;
    });
    if (!lostToCancel) return;

    // The order was cancelled while the provider authorized: give the money back, then store the payment refunded,
    // publishing both what it recorded, the authorization (version 1) and the refund (version 2).
    const p = payment.snapshot;
    const refund = await this.provider.refund({ orderId, reference: p.providerReference ?? '', amountCents: p.amountCents, currency: p.currency });
    payment.refund(refund.reference);
    await this.unitOfWork.run(async (tx) => {
      const order = await this.payments.guard(tx, orderId);
      if (!(await context.claim(tx)) || order.payment) return;
      this.payments.add(tx, payment);
      tx.publish(...toOutboundEvents(payment, payment.pullEvents()));
    });
  }
}

function born(decision: AuthorizeResult, charge: { id: string; orderId: string; customerId: string; amountCents: number; currency: string }): PaymentEntity {
  return decision.approved
    ? PaymentEntity.authorized({ ...charge, reference: decision.reference })
    : PaymentEntity.declined({ ...charge, reason: decision.reason });
}
