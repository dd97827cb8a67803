import { Inject, Injectable } from '@nestjs/common';
import { PaymentPrismaService } from '@shop/payment/data-access';
import type { PaymentProvider } from '@shop/payment/domain';
import { Outbox, processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { paymentRefunded, toDeadLetter, toEntity } from '../payment.mapper';
import { PAYMENT_GROUP, PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * A cancelled order gets its authorized charge back, once. As for the
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
    const found = await this.db.payment.findUnique({ where: { orderId } });
    if (!found) {
      // Not charged (yet): remember the cancellation so a late payment request is not charged.
      await processOnce(this.db, group, event, async (tx) => {
        await tx.orderCancellation.createMany({ data: [{ orderId }], skipDuplicates: true });
      });
      return;
    }
    // Declined or refunded already: nothing to give back.
    if (found.status !== 'AUTHORIZED' || !found.providerReference) return;

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
