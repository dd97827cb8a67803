import { Injectable } from '@nestjs/common';
import { OrderError, OrderRepository } from '@shop/order/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { OrderView } from '@shop/shared/contracts';
import { toOutboundEvents, toOrderView } from '../order.mapper';
import { OrderLifecycleMetrics } from '../order-lifecycle.metrics';

/**
 * A customer asks to cancel. Before payment is confirmed the order is
 * cancelled at once, and the catalog (release) and payment (refund) services
 * compensate from order.cancelled. A confirmed order's parcel may be leaving:
 * order.cancel-requested asks the delivery service, which decides (the order
 * follows its delivery.cancelled or delivery.dispatched). Answered 202 either
 * way, with the order as it stands.
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
      order.requestCancel(new Date());
      this.orders.save(tx, order);
      const events = order.pullEvents();
      tx.publish(...toOutboundEvents(order, events));
      this.metrics.afterCommit(tx, order.snapshot, events);
      return toOrderView(order.snapshot);
    });
  }
}
