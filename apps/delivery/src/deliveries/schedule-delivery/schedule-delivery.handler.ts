import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { DeliveryEntity } from '@shop/delivery/domain';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderConfirmedV1 } from '@shop/shared/contracts';
import { CourierService } from '../../courier/courier.service';
import { DeliveryRepository } from '../delivery.repository';
import { lockOrderGuard } from '../order-guard';

export const DELIVERY_GROUP = 'delivery';

/** A confirmed order gets its one delivery, SCHEDULED; a second confirmation of the same order changes nothing. */
@Injectable()
export class ScheduleDeliveryHandler {
  constructor(
    private readonly db: DeliveryPrismaService,
    private readonly deliveries: DeliveryRepository,
    private readonly courier: CourierService,
  ) {}

  async execute(event: Envelope<OrderConfirmedV1>, group = DELIVERY_GROUP): Promise<void> {
    const { orderId, customerId, shippingAddress } = event.data;
    let scheduled = false;
    await processOnce(this.db, group, event, async (tx) => {
      // Cancelled while this confirmation waited in a retry tier: no parcel for a cancelled order. The guard's
      // lock is held until commit, so a cancellation now waits and then finds the delivery to call off.
      if ((await lockOrderGuard(tx, orderId)).cancelled) return;
      const delivery = DeliveryEntity.schedule({ id: randomUUID(), orderId, customerId, shippingAddress, at: new Date() });
      scheduled = await this.deliveries.insert(tx, delivery);
    });
    // Committed: with a dispatch delay of 0 the courier takes it now rather than at its next poll.
    if (scheduled) this.courier.wake();
  }
}
