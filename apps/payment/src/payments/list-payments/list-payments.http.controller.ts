import { Controller, Get, Query } from '@nestjs/common';
import { PaymentQueries } from '@shop/payment/data-access';
import { PaymentError } from '@shop/payment/domain';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { paymentQuerySchema, PaymentView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { toPaymentView } from '../payment.mapper';

/** The payments of one order, for its customer or an admin. */
@Controller('api/payments')
export class ListPaymentsHttpController {
  constructor(private readonly payments: PaymentQueries) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(paymentQuerySchema, 'query')) query: z.infer<typeof paymentQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<PaymentView[]> {
    const payments = await this.payments.listForOrder(query.orderId);
    // Someone else's payments are not shown, nor said to be forbidden: 404, as for someone else's order.
    if (caller.role !== 'admin' && payments.some((p) => p.customerId !== caller.sub)) {
      throw new PaymentError('NOT_FOUND', `no payments for order ${query.orderId}`);
    }
    return payments.map(toPaymentView);
  }
}
