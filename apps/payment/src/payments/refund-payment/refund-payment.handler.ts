import { Inject, Injectable } from '@nestjs/common';
import { PaymentEntity, PaymentProvider, PaymentRepository } from '@shop/payment/domain';
import { EventContext, UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../payment.mapper';
import { PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * A cancelled order gets its authorized charge back, once. The cancellation
 * is first marked on the order's guard, under its lock: an authorization that
 * has not stored its payment yet will see it and refund by itself (see
 * AuthorizePaymentHandler); a stored one is refunded here. As for the
 * authorization, the provider is called outside any transaction with the
 * order id as idempotency key; the guard is then locked again and the payment
 * re-checked, so of two racing deliveries only one records the refund.
 */
@Injectable()
export class RefundPaymentHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository<UnitTx>,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async execute(event: Envelope<OrderCancelledV1>, context: Pick<EventContext, 'claim'>): Promise<void> {
    const { orderId } = event.data;
    const charged = await this.unitOfWork.run(async (tx): Promise<PaymentEntity | undefined> => {
      const { payment } = await this.payments.guard(tx, orderId, { cancel: true });
      if (payment?.snapshot.status === 'AUTHORIZED') return payment;
      // Not charged (yet: the guard now tells a late authorization to refund), declined, or refunded already: done.
      await context.claim(tx);
      return undefined;
    });
    if (!charged) return;

    const c = charged.snapshot;
    const refund = await this.provider.refund({ orderId, reference: c.providerReference ?? '', amountCents: c.amountCents, currency: c.currency });
    await this.unitOfWork.run(async (tx) => {
      const { payment } = await this.payments.guard(tx, orderId);
      if (!(await context.claim(tx)) || payment?.snapshot.status !== 'AUTHORIZED') return; // a concurrent delivery refunded it first
      payment.refund(refund.reference);
      this.payments.save(tx, payment);
      tx.publish(...toOutboundEvents(payment, payment.pullEvents()));
    });
  }
}
