import { Controller, Get, Query } from '@nestjs/common';
import { OrderPrismaService, OrderRepository } from '@shop/order/data-access';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { decodeCursor, encodeCursor, OrderView, Page, PageQuery, pageQuerySchema } from '@shop/shared/contracts';
import { toOrderView } from '../order.mapper';

/** The caller's own orders, newest first. */
@Controller('api/orders')
export class ListOrdersHttpController {
  private readonly orders = new OrderRepository();

  constructor(private readonly db: OrderPrismaService) {}

  @Get()
  async list(@CurrentUser() user: Principal, @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery): Promise<Page<OrderView>> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after === null) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
    const rows = await this.orders.listForCustomer(this.db, user.sub, { limit: query.limit + 1, after });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toOrderView), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }
}
