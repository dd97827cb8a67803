import { Injectable, Logger } from '@nestjs/common';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { DeliveryError } from '@shop/delivery/domain';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { DeliveryRepository } from '../delivery.repository';
import { lockOrderGuard } from '../order-guard';
import { DELIVERY_GROUP } from '../schedule-delivery/schedule-delivery.handler';

/**
 * A cancelled order calls off its delivery while it is still SCHEDULED. Once
 * the parcel left, the delivery stands (the order service refuses such a
 * cancel; if one slips through a race, it is logged, not applied).
 */
@Injectable()
export class CancelDeliveryHandler {
  private readonly log = new Logger('CancelDelivery');

  constructor(
    private readonly db: DeliveryPrismaService,
    private readonly deliveries: DeliveryRepository,
  ) {}

  async execute(event: Envelope<OrderCancelledV1>, group = DELIVERY_GROUP): Promise<void> {
    const { orderId, reason } = event.data;
    await processOnce(this.db, group, event, async (tx) => {
      // Marked first, under the guard's lock: a confirmation arriving late (from a retry tier) schedules nothing.
      await lockOrderGuard(tx, orderId, { cancel: true });
      const delivery = await this.deliveries.lock(tx, { orderId });
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
      await this.deliveries.save(tx, delivery);
    });
  }
}
