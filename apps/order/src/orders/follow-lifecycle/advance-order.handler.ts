import { Injectable, Logger } from '@nestjs/common';
import { OrderPrismaService, OrderRepository } from '@shop/order/data-access';
import { OrderEntity, OrderError } from '@shop/order/domain';
import { Outbox, processOnce } from '@shop/platform/messaging';
import type { Envelope } from '@shop/shared/contracts';
import { integrationEvents } from '../order.mapper';

export const ORDER_GROUP = 'order';

/**
 * Moves an order one step on an event from another service, once: the inbox
 * row, the transition and the next event commit together. An event that no
 * longer applies (a payment authorized after the customer cancelled, say) is
 * consumed and ignored; the compensation is already under way.
 */
@Injectable()
export class AdvanceOrderHandler {
  private readonly orders = new OrderRepository();
  private readonly log = new Logger('AdvanceOrder');

  constructor(
    private readonly db: OrderPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(event: Envelope, orderId: string, step: (order: OrderEntity, now: Date) => void, group = ORDER_GROUP): Promise<void> {
    await processOnce(this.db, group, event, async (tx) => {
      const order = await this.orders.load(tx, orderId, { lock: true });
      if (!order) {
        this.log.warn(`${event.type} ${event.id} names unknown order ${orderId}; ignored`);
        return;
      }
      const { version, history } = order.snapshot;
      try {
        step(order, new Date());
      } catch (err) {
        if (err instanceof OrderError && err.code === 'ILLEGAL_TRANSITION') {
          this.log.warn(`${event.type} for order ${orderId}: ${err.message}; ignored`);
          return;
        }
        throw err;
      }
      await this.orders.save(tx, order, version, history.length);
      await this.outbox.append(tx, integrationEvents(order, order.pullEvents()));
    });
  }
}
