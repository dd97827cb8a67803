import { Controller, Get, Query } from '@nestjs/common';
import { OrderQueries } from '@shop/order/data-access';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { cursorPosition, keysetPage, ZodValidationPipe } from '@shop/platform/http';
import { OrderView, Page, PageQuery, pageQuerySchema } from '@shop/shared/contracts';
import { toOrderView } from '../order.mapper';

/** The caller's own orders, newest first. */
@Controller('api/orders')
export class ListOrdersHttpController {
  constructor(private readonly orders: OrderQueries) {}

  @Get()
  async list(@CurrentUser() user: Principal, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery): Promise<Page<OrderView>> {
    const rows = await this.orders.listForCustomer(user.sub, { limit: query.limit + 1, after: cursorPosition(query.cursor) });
    return keysetPage(rows, query.limit, toOrderView);
  }
}
