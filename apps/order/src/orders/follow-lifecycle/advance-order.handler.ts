import { Injectable, Logger } from '@nestjs/common';
import { OrderEntity, OrderError, OrderRepository } from '@shop/order/domain';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope } from '@shop/shared/contracts';
import { toOutboundEvents } from '../order.mapper';
import { OrderLifecycleMetrics } from '../order-lifecycle.metrics';

/**
 * Moves an order one step on an event from another service, in the unit of
 * work of the record's batch (the inbox row, the transition and the next
 * event commit together). An event that no longer applies (a payment
 * authorized after the customer cancelled, say) is consumed and ignored; the
 * compensation is already under way.
 */
@Injectable()
export class AdvanceOrderHandler {
  private readonly log = new Logger('AdvanceOrder');

  constructor(
    private readonly orders: OrderRepository<UnitTx>,
    private readonly metrics: OrderLifecycleMetrics,
  ) {}

  async execute(event: Envelope, context: EventContext, orderId: string, step: (order: OrderEntity, now: Date) => void): Promise<void> {
    const tx = context.tx as UnitTx;
    const order = await this.orders.lock(tx, orderId);
    if (!order) {
      this.log.warn(`${event.type} ${event.id} names unknown order ${orderId}; ignored`);
      return;
    }
    try {
      step(order, new Date());
    } catch (err) {
      if (err instanceof OrderError && err.code === 'ILLEGAL_TRANSITION') {
        this.log.warn(`${event.type} for order ${orderId}: ${err.message}; ignored`);
        return;
      }
      throw err;
    }
    this.orders.save(tx, order);
    const events = order.pullEvents();
    tx.publish(...toOutboundEvents(order, events));
    this.metrics.afterCommit(tx, order.snapshot, events);
  }
}
