import type { StockReservationEntity, StockReservationEvent } from '@shop/catalog/domain';
import type { OutboundEvent } from '@shop/platform/messaging';

/**
 * The integration events for what a reservation recorded, keyed by its order (the aggregate), at the version
 * each step gave it.
 */
export function toOutboundEvents(reservation: StockReservationEntity, events: StockReservationEvent[]): OutboundEvent[] {
  const { orderId } = reservation.snapshot;
  return events.map((e): OutboundEvent => {
    const base = { aggregateId: orderId, aggregateVersion: e.version };
    switch (e.type) {
      case 'reserved':
        return { ...base, type: 'catalog.stock-reserved', data: { orderId, items: e.items } };
      case 'rejected':
        return { ...base, type: 'catalog.stock-rejected', data: { orderId, reason: e.reason, productIds: e.productIds } };
      case 'released':
        return { ...base, type: 'catalog.stock-released', data: { orderId, items: e.items } };
    }
  });
}
