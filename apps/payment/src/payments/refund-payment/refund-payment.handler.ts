import { Inject, Injectable } from '@nestjs/common';
import { PaymentPrismaService } from '@shop/payment/data-access';
import type { PaymentProvider } from '@shop/payment/domain';
import { Outbox, processOnce, recordInbox } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { lockOrderGuard } from '../order-guard';
import { paymentRefunded, toDeadLetter, toEntity } from '../payment.mapper';
import { PAYMENT_GROUP, PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * A cancelled order gets its authorized charge back, once. The cancellation
 * is first marked on the order's guard row, under its lock: an authorization
 * that has not stored its payment yet will see it and refund by itself (see
 * AuthorizePaymentHandler); a stored one is refunded here. As for the
 * authorization, the provider is called outside the transaction with the
 * order id as idempotency key; the row is then locked and re-checked, so of
 * two racing deliveries only one records the refund and emits its event.
 */
@Injectable()
export class RefundPaymentHandler {
  constructor(
    private readonly db: PaymentPrismaService,
    private readonly outbox: Outbox,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async execute(event: Envelope<OrderCancelledV1>, group = PAYMENT_GROUP): Promise<void> {
    const { orderId } = event.data;
    const found = await this.db.$transaction(async (tx) => {
      await lockOrderGuard(tx, orderId, { cancel: true });
      const payment = await tx.payment.findUnique({ where: { orderId } });
      if (payment?.status === 'AUTHORIZED' && payment.providerReference) return payment;
      // Not charged (yet: the guard now tells a late authorization to refund), declined, or refunded already: done.
      await recordInbox(tx, group, event);
      return undefined;
    });
    if (!found?.providerReference) return;

    try {
      const refund = await this.provider.refund({
        orderId,
        reference: found.providerReference,
        amountCents: found.amountCents,
        currency: found.currency,
      });
      await processOnce(this.db, group, event, async (tx) => {
        await tx.$queryRawUnsafe('select id from payments where id = $1::uuid for update', found.id);
        const payment = toEntity(await tx.payment.findUniqueOrThrow({ where: { id: found.id } }));
        if (payment.snapshot.status !== 'AUTHORIZED') return; // a concurrent delivery refunded it first
        payment.refund(refund.reference);
        const { status, refundReference } = payment.snapshot;
        await tx.payment.update({ where: { id: found.id }, data: { status, refundReference } });
        await this.outbox.append(tx, [paymentRefunded(payment)]);
      });
    } catch (err) {
      throw toDeadLetter(err);
    }
  }
}
