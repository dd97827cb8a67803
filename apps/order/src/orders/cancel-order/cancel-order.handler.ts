import { Injectable } from '@nestjs/common';
import { OrderPrismaService, OrderRepository } from '@shop/order/data-access';
import { ProblemException } from '@shop/platform/http';
import { Outbox } from '@shop/platform/messaging';
import type { OrderView } from '@shop/shared/contracts';
import { integrationEvents, toOrderView } from '../order.mapper';

/**
 * A customer cancel before dispatch. The order.cancelled event carries the
 * status it had, and the catalog (release), payment (refund) and delivery
 * (cancel) services compensate from it.
 */
@Injectable()
export class CancelOrderHandler {
  private readonly orders = new OrderRepository();

  constructor(
    private readonly db: OrderPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(customerId: string, orderId: string): Promise<OrderView> {
    return this.db.$transaction(async (tx) => {
      const order = await this.orders.load(tx, orderId, { lock: true });
      if (!order || order.snapshot.customerId !== customerId) throw new ProblemException(404, `no order with id ${orderId}`);
      const { version, history } = order.snapshot;
      order.cancelByCustomer(new Date());
      await this.orders.save(tx, order, version, history.length);
      await this.outbox.append(tx, integrationEvents(order, order.pullEvents()));
      return toOrderView(order.snapshot);
    });
  }
}
