import type { DeliveryEntity, DeliveryEvent, DeliveryProps } from '@shop/delivery/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import type { DeliveryView } from '@shop/shared/contracts';

export function toDeliveryView(d: Pick<DeliveryProps, 'id' | 'orderId' | 'status' | 'updatedAt'>): DeliveryView {
  return { id: d.id, orderId: d.orderId, status: d.status, updatedAt: d.updatedAt.toISOString() };
}

/**
 * The integration events for what the delivery recorded. Keyed by the
 * delivery (its aggregate); one delivery per order keeps an order's delivery
 * events in one partition, in order, all the same.
 */
export function toOutboundEvents(delivery: DeliveryEntity, events: DeliveryEvent[]): OutboundEvent[] {
  const { id: deliveryId, orderId } = delivery.snapshot;
  return events.map((e): OutboundEvent => {
    const base = { aggregateId: deliveryId, aggregateVersion: e.version };
    switch (e.type) {
      case 'scheduled':
        return { ...base, type: 'delivery.scheduled', data: { deliveryId, orderId } };
      case 'dispatched':
        return { ...base, type: 'delivery.dispatched', data: { deliveryId, orderId } };
      case 'delivered':
        return { ...base, type: 'delivery.delivered', data: { deliveryId, orderId } };
      case 'cancelled':
        return { ...base, type: 'delivery.cancelled', data: { deliveryId, orderId, reason: e.reason } };
    }
  });
}
