import { z } from 'zod';
import * as catalog from './catalog.events';
import * as delivery from './delivery.events';
import * as order from './order.events';
import * as payment from './payment.events';
import * as review from './review.events';
import { envelopeSchema, Envelope } from './envelope';
import { ServiceName, TopicName, Topics } from './topics';

interface EventDefinition {
  topic: TopicName;
  source: ServiceName;
  version: number;
  data: z.ZodType;
}

/** Every event type the platform publishes: its topic, owner, version and data schema. */
export const EventCatalog = {
  'catalog.product-upserted': { topic: Topics.catalogProducts, source: 'catalog', version: 1, data: catalog.productUpsertedV1 },
  'catalog.stock-reserved': { topic: Topics.catalogReservations, source: 'catalog', version: 1, data: catalog.stockReservedV1 },
  'catalog.stock-rejected': { topic: Topics.catalogReservations, source: 'catalog', version: 1, data: catalog.stockRejectedV1 },
  'catalog.stock-released': { topic: Topics.catalogReservations, source: 'catalog', version: 1, data: catalog.stockReleasedV1 },
  'order.placed': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderPlacedV1 },
  'order.awaiting-payment': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderAwaitingPaymentV1 },
  'order.confirmed': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderConfirmedV1 },
  'order.cancelled': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderCancelledV1 },
  'order.cancel-requested': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderCancelRequestedV1 },
  'order.shipped': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderShippedV1 },
  'order.delivered': { topic: Topics.orderOrders, source: 'order', version: 1, data: order.orderDeliveredV1 },
  'payment.authorized': { topic: Topics.paymentPayments, source: 'payment', version: 1, data: payment.paymentAuthorizedV1 },
  'payment.declined': { topic: Topics.paymentPayments, source: 'payment', version: 1, data: payment.paymentDeclinedV1 },
  'payment.refunded': { topic: Topics.paymentPayments, source: 'payment', version: 1, data: payment.paymentRefundedV1 },
  'delivery.scheduled': { topic: Topics.deliveryDeliveries, source: 'delivery', version: 1, data: delivery.deliveryScheduledV1 },
  'delivery.dispatched': { topic: Topics.deliveryDeliveries, source: 'delivery', version: 1, data: delivery.deliveryDispatchedV1 },
  'delivery.delivered': { topic: Topics.deliveryDeliveries, source: 'delivery', version: 1, data: delivery.deliveryDeliveredV1 },
  'delivery.cancelled': { topic: Topics.deliveryDeliveries, source: 'delivery', version: 1, data: delivery.deliveryCancelledV1 },
  'review.created': { topic: Topics.reviewReviews, source: 'review', version: 1, data: review.reviewCreatedV1 },
} as const satisfies Record<string, EventDefinition>;

/**
 * Newer versions of an event, published beside the version in EventCatalog (which is what every consumer
 * reads by default) during their compatibility window, each on its own topic: a compacted topic keeps one
 * record per key, so two versions of one aggregate on one topic would erase each other. A consumer of the
 * EventCatalog version never receives these; one that meets such a version on its topic dead-letters it.
 */
export const NewerEventVersions: Partial<Record<EventType, Record<number, { topic: TopicName; data: z.ZodType }>>> = {
  'catalog.product-upserted': { 2: { topic: Topics.catalogProductsV2, data: catalog.productUpsertedV2 } },
};

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof EventCatalog)[T]['data']>;

/** The topic and data schema of one version of an event; undefined for a version the platform does not define. */
export function eventVersion(type: EventType, version: number): { topic: TopicName; data: z.ZodType } | undefined {
  const def = EventCatalog[type];
  if (version === def.version) return { topic: def.topic, data: def.data };
  return NewerEventVersions[type]?.[version];
}

/** Every (type, version) the platform defines, with its topic and schema: what the contract test checks. */
export function allEventVersions(): Array<{ type: EventType; version: number; topic: TopicName; data: z.ZodType }> {
  return (Object.keys(EventCatalog) as EventType[]).flatMap((type) => [
    { type, version: EventCatalog[type].version as number, topic: EventCatalog[type].topic as TopicName, data: EventCatalog[type].data as z.ZodType },
    ...Object.entries(NewerEventVersions[type] ?? {}).map(([v, d]) => ({ type, version: Number(v), topic: d.topic, data: d.data })),
  ]);
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventCatalog, type);
}

/** A record that is not an event of ours, or whose data breaks its schema. Never worth retrying. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Validates an envelope and its data against the catalog. Used when an event
 * is produced (a bug must not reach the bus) and when it is consumed.
 * Unknown types are returned unchecked for the caller to skip or dead-letter.
 */
export function parseEnvelope(value: unknown): Envelope {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new ContractViolation(`bad envelope: ${describe(envelope.error)}`);
  const env = envelope.data as Envelope;
  if (!isEventType(env.type)) return env;
  const def = EventCatalog[env.type];
  const newer = env.version > def.version ? NewerEventVersions[env.type]?.[env.version] : undefined;
  if (env.version > def.version && !newer) return env; // a newer version than this build knows: the caller decides
  const data = (newer?.data ?? def.data).safeParse(env.data);
  if (!data.success) throw new ContractViolation(`${env.type} v${env.version}: ${describe(data.error)}`);
  return { ...env, data: data.data };
}

export function topicOf(type: EventType): TopicName {
  return EventCatalog[type].topic;
}
