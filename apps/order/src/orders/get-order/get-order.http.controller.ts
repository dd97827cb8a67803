import { Controller, Get, Param } from '@nestjs/common';
import { OrderQueries } from '@shop/order/data-access';
import { OrderError } from '@shop/order/domain';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { UuidParamPipe } from '@shop/platform/http';
import type { OrderView } from '@shop/shared/contracts';
import { toOrderView } from '../order.mapper';

/** The owner or an admin sees the order; to anyone else it does not exist (404, not 403). */
@Controller('api/orders')
export class GetOrderHttpController {
  constructor(private readonly orders: OrderQueries) {}

  @Get(':id')
  async get(@CurrentUser() user: Principal, @Param('id', new UuidParamPipe('order')) id: string): Promise<OrderView> {
    const order = await this.orders.find(id);
    if (!order || (order.customerId !== user.sub && user.role !== 'admin')) throw new OrderError('NOT_FOUND', `no order with id ${id}`);
    return toOrderView(order);
  }
}
