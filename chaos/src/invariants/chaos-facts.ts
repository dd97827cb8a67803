import { EventCatalog, EventType, ServiceName, ServiceNames, topicOf } from '@shop/shared/contracts';

export type { ServiceName };
export const SERVICES: ServiceName[] = [...ServiceNames];

/**
 * The event types each consumer group handles, as the services' @EventPattern
 * handlers declare them. The checker compares every publisher's outbox with
 * these inboxes; an inbox holding a type missing here is reported, so this
 * table cannot go stale unnoticed.
 */
export const SUBSCRIPTIONS: Record<ServiceName, EventType[]> = {
  catalog: ['order.placed', 'order.cancelled', 'review.created'],
  order: [
    'catalog.product-upserted',
    'catalog.stock-reserved',
    'catalog.stock-rejected',
    'payment.authorized',
    'payment.declined',
    'delivery.dispatched',
    'delivery.delivered',
    'delivery.cancelled',
  ],
  payment: ['order.awaiting-payment', 'order.cancelled'],
  delivery: ['order.confirmed', 'order.cancel-requested'],
  review: ['order.delivered'],
};

export function publisherOf(type: EventType): ServiceName {
  return EventCatalog[type].source as ServiceName;
}

/** Whether an event published on `topic` (prefixed or not) is one the subscribers of `type` read: its subscribed version's topic. */
export function readsFrom(topic: string, type: EventType): boolean {
  return topic === topicOf(type) || topic.endsWith(`.${topicOf(type)}`);
}

/** Event types that happen at most once per aggregate (everything but a product's successive versions). */
export function oncePerAggregate(type: string): boolean {
  return type !== 'catalog.product-upserted';
}

export interface OrderFact {
  id: string;
  status: string;
  cancelReason: string | null;
  items: Array<{ productId: string; quantity: number }>;
  /** Statuses in the order they were recorded. */
  history: string[];
}

export interface OutboxFact {
  service: ServiceName;
  id: string;
  /** Where the relay publishes it (the run's prefix included): one version of a type per topic. */
  topic: string;
  type: string;
  key: string;
  published: boolean;
}

export interface InboxFact {
  service: ServiceName;
  group: string;
  eventId: string;
  eventType: string;
}

export interface LagFact {
  group: string;
  topic: string;
  lag: number;
  retry: boolean;
}

export interface DeadLetterFact {
  service: ServiceName;
  eventType: string | null;
  eventId: string | null;
  originalTopic: string;
  error: string;
  attempts: number;
}

/** Everything the invariants look at, read from each service's own schema and from the broker after the run. */
export interface ChaosFacts {
  /** Order ids the gateway answered 2xx for. */
  acceptedOrderIds: string[];
  orders: OrderFact[];
  payments: Array<{ orderId: string; status: string }>;
  /** Orders the payment service saw cancelled before it charged them. */
  reservations: Array<{ orderId: string; status: string }>;
  deliveries: Array<{ orderId: string; status: string }>;
  reviewGrants: Array<{ orderId: string; productId: string }>;
  products: Array<{ id: string; stock: number; initialStock: number }>;
  outbox: OutboxFact[];
  /** Records on the run's six source topics: every published row, plus any copy a crashed relay sent again. */
  sourceTopicRecords: number;
  inbox: InboxFact[];
  lag: LagFact[];
  /** Records per dead-letter topic (high minus low watermark). */
  deadLetterTopics: Array<{ topic: string; count: number }>;
  deadLetters: DeadLetterFact[];
}

export interface Expectations {
  /** Dead letters the scenario provokes on purpose; 0 for every fault scenario. */
  deadLetters?: number;
}
