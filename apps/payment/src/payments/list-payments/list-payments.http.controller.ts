import { Controller, Get, Query } from '@nestjs/common';
import { PaymentPrismaService } from '@shop/payment/data-access';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { paymentQuerySchema, PaymentView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { toPaymentView } from '../payment.mapper';

/** The payments of one order, for its customer or an admin. */
@Controller('api/payments')
export class ListPaymentsHttpController {
  constructor(private readonly db: PaymentPrismaService) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(paymentQuerySchema, 'query')) query: z.infer<typeof paymentQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<PaymentView[]> {
    const rows = await this.db.payment.findMany({ where: { orderId: query.orderId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    // Someone else's payments are not shown, nor said to be forbidden: 404, as for someone else's order.
    if (caller.role !== 'admin' && rows.some((p) => p.customerId !== caller.sub)) {
      throw new ProblemException(404, `no payments for order ${query.orderId}`);
    }
    return rows.map(toPaymentView);
  }
}
