import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PaymentPrismaService } from '@shop/payment/data-access';
import { PaymentEntity, PaymentProvider } from '@shop/payment/domain';
import { Outbox, processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderAwaitingPaymentV1 } from '@shop/shared/contracts';
import { paymentDecided, toDeadLetter, toRecord } from '../payment.mapper';
import { PAYMENT_GROUP, PAYMENT_PROVIDER } from '../payment.tokens';

/**
 * Charges an order awaiting payment, once. The provider is asked outside any
 * transaction (a slow provider holds no connection or lock) with the order id
 * as its idempotency key, so asking again after a crash charges nothing more.
 * The payment row and its event then commit together with the inbox row.
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
    // Decided already (redelivery, republish, replay): the provider is not asked again.
    if (await this.db.payment.findUnique({ where: { orderId }, select: { id: true } })) return;
    // Cancelled while this request waited in a retry tier: charging now would hold money for nothing.
    if (await this.db.orderCancellation.findUnique({ where: { orderId } })) return;

    const decision = await this.provider.authorize({ orderId, amountCents, currency, token: paymentToken });
    const charge = { id: randomUUID(), orderId, customerId, amountCents, currency };
    let payment: PaymentEntity;
    try {
      payment = decision.approved
        ? PaymentEntity.authorized({ ...charge, reference: decision.reference })
        : PaymentEntity.declined({ ...charge, reason: decision.reason });
    } catch (err) {
      throw toDeadLetter(err);
    }

    await processOnce(this.db, group, event, async (tx) => {
      // ON CONFLICT DO NOTHING on order_id: when a concurrent delivery for this order committed
      // first, its payment and its event stand, and this one adds neither (nor aborts on a unique violation).
      const { count } = await tx.payment.createMany({ data: [toRecord(payment)], skipDuplicates: true });
      if (count === 0) return;
      await this.outbox.append(tx, [paymentDecided(payment)]);
    });
  }
}
