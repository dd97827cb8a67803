import type { DeliveryEntity, DeliveryRepository } from '@shop/delivery/domain';
import type { UnitTx } from '@shop/platform/messaging';
import { toOutboundEvents } from '../delivery.mapper';

/**
 * One courier step for a delivery whose row `tx` holds locked: the domain
 * moves it (or refuses), the unit saves it and publishes its event. The
 * admin's advance and the courier's round take this same step.
 */
export function advanceDelivery(tx: UnitTx, deliveries: DeliveryRepository<UnitTx>, delivery: DeliveryEntity, at = new Date()): void {
  delivery.advance(at);
  deliveries.save(tx, delivery);
  tx.publish(...toOutboundEvents(delivery, delivery.pullEvents()));
}
