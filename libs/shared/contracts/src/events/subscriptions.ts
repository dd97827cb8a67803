import type { EventType } from './registry';
import type { ServiceName } from './topics';

/**
 * The events each service's consumer group handles: its `@EventPattern` handlers, which the service catalog's
 * check (tools/service-catalog) holds to this list. The AsyncAPI document names each group's retry tiers and
 * dead-letter topic from it. A service that handles no event has no entry.
 */
export const EventSubscriptions = {
  catalog: ['order.placed', 'order.cancelled', 'review.created'],
  order: [
    'catalog.product-upserted',
    'catalog.stock-reserved',
    'catalog.stock-rejected',
    'payment.authorized',
    'payment.declined',
    'delivery.dispatched',
    'delivery.cancelled',
    'delivery.delivered',
  ],
  payment: ['order.awaiting-payment', 'order.cancelled'],
  delivery: ['order.confirmed', 'order.cancel-requested'],
  review: ['order.delivered'],
} as const satisfies Partial<Record<ServiceName, readonly EventType[]>>;
