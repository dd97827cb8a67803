import { Controller, Get, Param } from '@nestjs/common';
import { OrderPrismaService, OrderRepository } from '@shop/order/data-access';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { ProblemException, UuidParamPipe } from '@shop/platform/http';
import type { OrderView } from '@shop/shared/contracts';
import { toOrderView } from '../order.mapper';

/** The owner or an admin sees the order; to anyone else it does not exist (404, not 403). */
@Controller('api/orders')
export class GetOrderHttpController {
  private readonly orders = new OrderRepository();

  constructor(private readonly db: OrderPrismaService) {}

  @Get(':id')
  async get(@CurrentUser() user: Principal, @Param('id', new UuidParamPipe('order')) id: string): Promise<OrderView> {
    const order = await this.orders.find(this.db, id);
    if (!order || (order.customerId !== user.sub && user.role !== 'admin')) throw new ProblemException(404, `no order with id ${id}`);
    return toOrderView(order);
  }
}
