import { Injectable, Logger } from '@nestjs/common';
import { DeliveryError, DeliveryRepository } from '@shop/delivery/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderCancelledV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../delivery.mapper';

/**
 * A cancelled order calls off its delivery while it is still SCHEDULED. Once
 * the parcel left, the delivery stands (the order service refuses such a
 * cancel; if one slips through a race, it is logged, not applied).
 */
@Injectable()
export class CancelDeliveryHandler {
  private readonly log = new Logger('CancelDelivery');

  constructor(private readonly deliveries: DeliveryRepository<UnitTx>) {}

  async execute(tx: UnitTx, cancelled: OrderCancelledV1): Promise<void> {
    const { orderId, reason } = cancelled;
    // Marked first, under the guard's lock: a confirmation arriving late (from a retry tier) schedules nothing.
    const { delivery } = await this.deliveries.guard(tx, orderId, { cancel: true });
    if (!delivery) return;
    try {
      delivery.cancel(reason, new Date());
    } catch (err) {
      if (err instanceof DeliveryError && err.code === 'ALREADY_DISPATCHED') {
        this.log.warn(`order ${orderId} was cancelled but its delivery ${delivery.snapshot.id} is ${delivery.status}; the delivery stands`);
        return;
      }
      if (err instanceof DeliveryError && err.code === 'ALREADY_CANCELLED') return; // the same cancellation under another event id
      throw err;
    }
    this.deliveries.save(tx, delivery);
    tx.publish(...toOutboundEvents(delivery, delivery.pullEvents()));
  }
}
