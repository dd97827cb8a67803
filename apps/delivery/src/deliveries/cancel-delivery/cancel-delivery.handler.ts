import { Injectable } from '@nestjs/common';
import { DeliveryRepository } from '@shop/delivery/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderCancelRequestedV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../delivery.mapper';

/**
 * The one place that decides a customer's cancel of a confirmed order against
 * the courier. Under the order's guard, then its delivery's row lock (which
 * the courier's step and the admin's advance take too): a delivery still
 * SCHEDULED is called off (`delivery.cancelled`: the order is cancelled and
 * compensated); one that has left stands (the order follows its
 * `delivery.dispatched` and ships, the cancellation too late). A request
 * that finds no delivery yet marks the guard, and the confirmation, when it
 * comes, records a delivery cancelled at once (ScheduleDeliveryHandler).
 */
@Injectable()
export class CancelDeliveryHandler {
  constructor(private readonly deliveries: DeliveryRepository<UnitTx>) {}

  async execute(tx: UnitTx, request: OrderCancelRequestedV1): Promise<void> {
    const { delivery } = await this.deliveries.guard(tx, request.orderId, { cancel: true });
    if (delivery?.status !== 'SCHEDULED') return;
    delivery.cancel(request.reason, new Date());
    this.deliveries.save(tx, delivery);
    tx.publish(...toOutboundEvents(delivery, delivery.pullEvents()));
  }
}
