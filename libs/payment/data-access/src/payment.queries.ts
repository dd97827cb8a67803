import { Injectable } from '@nestjs/common';
import type { StoredPayment } from '@shop/payment/domain';
import { PaymentPrismaService } from './payment-prisma.service';

/** The payment views the read routes serve (Prisma: these are not the event path). */
@Injectable()
export class PaymentQueries {
  constructor(private readonly db: PaymentPrismaService) {}

  /** An order's payments, oldest first (one at most: the database refuses a second). */
  async listForOrder(orderId: string): Promise<StoredPayment[]> {
    const rows = await this.db.payment.findMany({ where: { orderId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((p) => ({
      id: p.id,
      orderId: p.orderId,
      customerId: p.customerId,
      status: p.status,
      amountCents: p.amountCents,
      currency: p.currency,
      providerReference: p.providerReference,
      declineReason: p.declineReason,
      refundReference: p.refundReference,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    }));
  }
}
