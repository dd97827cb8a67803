import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeliveryEntity, DeliveryRepository } from '@shop/delivery/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderConfirmedV1 } from '@shop/shared/contracts';
import { DeliveryDueSignal } from '../delivery-due.signal';
import { toOutboundEvents } from '../delivery.mapper';

/**
 * A confirmed order gets its one delivery, SCHEDULED; a second confirmation of
 * the same order changes nothing. When the customer's cancel came first (this
 * confirmation waited in a retry tier), the delivery is recorded cancelled at
 * once: no parcel for it, and `delivery.cancelled` settles the cancel.
 */
@Injectable()
export class ScheduleDeliveryHandler {
  constructor(
    private readonly deliveries: DeliveryRepository<UnitTx>,
    private readonly due: DeliveryDueSignal,
  ) {}

  /** True when a delivery was scheduled (the courier may take it at once). */
  async execute(tx: UnitTx, confirmed: OrderConfirmedV1): Promise<boolean> {
    const { orderId, customerId, shippingAddress } = confirmed;
    // The guard's lock is held until commit, so a cancel now waits and then finds the delivery to call off.
    const order = await this.deliveries.guard(tx, orderId);
    if (order.delivery) return false;
    const now = new Date();
    const delivery = DeliveryEntity.schedule({ id: randomUUID(), orderId, customerId, shippingAddress, at: now });
    if (order.cancelled) delivery.cancel('CUSTOMER_REQUEST', now);
    this.deliveries.add(tx, delivery);
    tx.publish(...toOutboundEvents(delivery, delivery.pullEvents()));
    if (order.cancelled) return false;
    // With a dispatch delay of 0 it is due at once, for a courier that can see it: once the unit has committed.
    tx.afterCommit(() => this.due.raise());
    return true;
  }
}
