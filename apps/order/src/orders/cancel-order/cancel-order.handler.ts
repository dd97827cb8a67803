import { Injectable } from '@nestjs/common';
import { OrderError, OrderRepository } from '@shop/order/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { OrderView } from '@shop/shared/contracts';
import { integrationEvents, toOrderView } from '../order.mapper';
import { OrderLifecycleMetrics } from '../order-lifecycle.metrics';

/**
 * A customer cancel before dispatch. The order.cancelled event carries the
 * status it had, and the catalog (release), payment (refund) and delivery
 * (cancel) services compensate from it.
 */
@Injectable()
export class CancelOrderHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRepository<UnitTx>,
    private readonly metrics: OrderLifecycleMetrics,
  ) {}

  execute(customerId: string, orderId: string): Promise<OrderView> {
    return this.unitOfWork.run(async (tx) => {
      const order = await this.orders.lock(tx, orderId);
      // Someone else's order does not exist for this caller (404, not 403).
      if (!order || order.snapshot.customerId !== customerId) throw new OrderError('NOT_FOUND', `no order with id ${orderId}`);
      order.cancelByCustomer(new Date());
      this.orders.save(tx, order);
      const events = order.pullEvents();
      tx.publish(...integrationEvents(order, events));
      this.metrics.afterCommit(tx, order.snapshot, events);
      return toOrderView(order.snapshot);
    });
  }
}
