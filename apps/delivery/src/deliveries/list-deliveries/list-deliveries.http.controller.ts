import { Controller, Get, Query } from '@nestjs/common';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { deliveryQuerySchema, DeliveryView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { toDeliveryView } from '../delivery.mapper';

/** The deliveries of one order, for its customer or an admin; someone else's order is as good as unknown. */
@Controller('api/deliveries')
export class ListDeliveriesHttpController {
  constructor(private readonly db: DeliveryPrismaService) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(deliveryQuerySchema, 'query')) query: z.infer<typeof deliveryQuerySchema>,
    @CurrentUser() principal: Principal,
  ): Promise<DeliveryView[]> {
    const delivery = await this.db.delivery.findUnique({ where: { orderId: query.orderId.toLowerCase() } });
    if (!delivery) return [];
    if (principal.role !== 'admin' && principal.sub !== delivery.customerId) {
      throw new ProblemException(404, `no order with id ${query.orderId}`);
    }
    return [toDeliveryView(delivery)];
  }
}
