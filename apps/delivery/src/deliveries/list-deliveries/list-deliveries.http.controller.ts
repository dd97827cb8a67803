import { Controller, Get, Query } from '@nestjs/common';
import { DeliveryQueries } from '@shop/delivery/data-access';
import { DeliveryError } from '@shop/delivery/domain';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { deliveryQuerySchema, DeliveryView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { toDeliveryView } from '../delivery.mapper';

/** The deliveries of one order, for its customer or an admin; someone else's order is as good as unknown. */
@Controller('api/deliveries')
export class ListDeliveriesHttpController {
  constructor(private readonly deliveries: DeliveryQueries) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(deliveryQuerySchema, 'query')) query: z.infer<typeof deliveryQuerySchema>,
    @CurrentUser() principal: Principal,
  ): Promise<DeliveryView[]> {
    const delivery = await this.deliveries.findByOrder(query.orderId);
    if (!delivery) return [];
    if (principal.role !== 'admin' && principal.sub !== delivery.customerId) {
      throw new DeliveryError('NOT_FOUND', `no order with id ${query.orderId}`);
    }
    return [toDeliveryView(delivery)];
  }
}
