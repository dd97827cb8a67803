import { z } from 'zod';
import type { BreakerSnapshot, UpstreamError } from '@shop/platform/resilience';
import type { DeadLetterView, MessagingStatus } from '@shop/platform/messaging';
import {
  cancelReasons,
  cancellationOutcomes,
  DeliveryView,
  OrderView,
  orderStatuses,
  Page,
  PaymentView,
  placeOrderSchema,
  ProductView,
  ReviewView,
  ticketStatuses,
  waitingRoomModes,
  WaitingRoomTicketView,
  WaitingRoomView,
} from '@shop/shared/contracts';
import type { OrderSummary } from '../orders/order-summary/order-summary.handler';
import type { IssuedToken } from '../auth/issue-token/issue-token.schemas';
import type { ServiceMap } from '../admin/service-catalog/service-map';

/**
 * Response shapes for the OpenAPI document. The services own these views as
 * TypeScript interfaces; each schema here is checked against its interface
 * both ways at compile time (`Same`), so the document cannot drift from them.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(check: Same<A, B>) => check;

const timestamp = z.string().describe('ISO 8601 date-time');

export const productView = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int().describe('integer minor units'),
  currency: z.string().describe('ISO 4217 code'),
  stock: z.number().int(),
  category: z.string().nullable().describe('browse with `?category=`; null: none'),
  picture: z
    .object({ url: z.string().describe('GET it; revalidate with If-None-Match'), etag: z.string().describe("the bytes' sha256") })
    .nullable()
    .describe('null: no picture (the storefront shows a placeholder)'),
  rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
  createdAt: timestamp,
  updatedAt: timestamp,
});
same<z.infer<typeof productView>, ProductView>(true);

const orderStatus = z.enum(orderStatuses);
export const orderView = z.object({
  id: z.uuid(),
  customerId: z.string(),
  status: orderStatus,
  cancelReason: z.enum(cancelReasons).optional(),
  cancellation: z
    .object({ requestedAt: timestamp, outcome: z.enum(cancellationOutcomes) })
    .optional()
    .describe(
      'present once the customer asked to cancel; a confirmed order is cancelled only if its parcel has not left: PENDING until the delivery service decides, then ACCEPTED (cancelled) or TOO_LATE (shipped, charged once)',
    ),
  items: z.array(z.object({ productId: z.uuid(), name: z.string(), unitPriceCents: z.number().int(), quantity: z.number().int() })),
  totalCents: z.number().int(),
  currency: z.string(),
  shippingAddress: placeOrderSchema.shape.shippingAddress,
  history: z.array(z.object({ status: orderStatus, at: timestamp, note: z.string().optional().describe('why, where it is not obvious') })),
  createdAt: timestamp,
  updatedAt: timestamp,
});
same<z.infer<typeof orderView>, OrderView>(true);

export const waitingRoomTicketView = z
  .object({
    ticketId: z.uuid(),
    status: z.enum(ticketStatuses),
    position: z.number().int().min(1).optional().describe('1 for the next in line (WAITING only)'),
    estimatedWaitSeconds: z.number().int().min(0).optional().describe('the tickets ahead and this one, at the rate the line has been moving'),
    retryAfterSeconds: z.number().int().min(1).optional().describe('when to look again (also the Retry-After header)'),
    expiresAt: timestamp.optional().describe('a ticket nobody looks at by then expires and frees its place'),
    orderId: z.uuid().optional().describe('ADMITTED: the order the ticket became'),
    problem: z.object({ code: z.string(), detail: z.string() }).optional().describe('FAILED: why the order could not be placed when its turn came'),
    createdAt: timestamp,
    endedAt: timestamp.optional(),
  })
  .describe('A place in the waiting room: WAITING, then ADMITTED (orderId), EXPIRED, LEFT or FAILED');
same<z.infer<typeof waitingRoomTicketView>, WaitingRoomTicketView>(true);

export const waitingRoomView = z.object({
  mode: z.enum(waitingRoomModes).describe('auto: opens and closes by itself; open or closed: an operator decided'),
  open: z.boolean(),
  ratePerSecond: z.number().nullable().describe("an operator's fixed admission rate; null: the room finds the rate the lifecycle keeps its target at"),
  admitRate: z.number().describe('tickets admitted per second while open'),
  reason: z.string(),
  changedAt: timestamp,
  waiting: z.number().int(),
  inFlight: z.number().int().describe('orders placed and not yet confirmed or cancelled'),
  admittedPerSecond: z
    .number()
    .describe('the pace the line moves at: tickets leaving it per second (admitted or expired), or orders completed where that is faster, over about ten seconds; what wait estimates divide by'),
  completedPerSecond: z.number(),
  confirmP90Seconds: z.number().nullable(),
  oldestInFlightSeconds: z.number(),
  targetSeconds: z.number(),
});
same<z.infer<typeof waitingRoomView>, WaitingRoomView>(true);

export const paymentView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(['AUTHORIZED', 'DECLINED', 'REFUNDED']),
  amountCents: z.number().int(),
  currency: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
same<z.infer<typeof paymentView>, PaymentView>(true);

export const deliveryView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(['SCHEDULED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']),
  updatedAt: timestamp,
});
same<z.infer<typeof deliveryView>, DeliveryView>(true);

export const reviewView = z.object({
  id: z.uuid(),
  productId: z.uuid(),
  orderId: z.uuid(),
  customerId: z.string(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: timestamp,
});
same<z.infer<typeof reviewView>, ReviewView>(true);

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last') });
}
same<z.infer<ReturnType<typeof page<typeof productView>>>, Page<ProductView>>(true);

export const orderSummary = z.object({
  order: orderView,
  payment: paymentView.nullable(),
  delivery: deliveryView.nullable(),
  reviews: z.array(reviewView).describe("this order's reviews, at most one per product, however many reviews each product has"),
  degraded: z.array(z.enum(['payment', 'delivery', 'reviews'])).describe('parts that could not be fetched; they are null or empty'),
});
same<z.infer<typeof orderSummary>, OrderSummary>(true);

export const deadLetterView = z.object({
  id: z.string().describe('<dead-letter topic>/<partition>/<offset>: what replay takes'),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  originalTopic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  deadLetteredAt: timestamp,
});
same<z.infer<typeof deadLetterView>, DeadLetterView>(true);

/** A rebuild from the owner's topic, or one step of an import from the owner's export API. */
export const rebuildResult = z.union([
  z.object({
    events: z.number().int().describe('events read from the topic'),
    updated: z.number().int().optional().describe('order: snapshot rows that were missing or older'),
    imported: z.number().int().optional().describe('catalog: reviews that were missing'),
    products: z.number().int().optional().describe('catalog: products whose rating changed'),
  }),
  z.object({
    fetched: z.number().int().describe("rows read from the owner's export"),
    updated: z.number().int().describe('read-model rows that were missing or older'),
    products: z.number().int().optional().describe('catalog: products whose rating changed (once the import is done)'),
    nextCursor: z.string().nullable().describe('more to import: send it back as `cursor`; null when done'),
  }),
]);

export const messagingStatusView = z.object({
  outbox: z.object({
    backlog: z.number().int().describe('outbox rows not yet published'),
    oldestPendingSeconds: z.number().describe('age of the oldest of them; 0 when none waits'),
    leader: z.boolean().describe('this instance holds the relay lock and publishes'),
    running: z.boolean(),
    consecutiveFailures: z.number().int(),
    lastError: z.string().nullable(),
    failedRows: z.number().int().describe('rows the broker refused for good (too large, invalid), set aside; republishing their aggregate sends them again'),
    blockedTopics: z.array(z.object({ topic: z.string(), error: z.string() })).describe('topics the broker cannot take now; tried again after a pause, the others go on'),
  }),
  consumers: z.array(
    z.object({
      group: z.string(),
      status: z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped']),
      since: timestamp,
      restarts: z.number().int(),
      lastError: z.string().nullable(),
    }),
  ),
  lag: z.array(z.object({ topic: z.string(), group: z.string(), lag: z.number().int() })).describe('records not yet committed by the group, per topic'),
  totalLag: z.number().int(),
  lagError: z.string().nullable().describe('why the lag is unknown (the broker did not answer)'),
});
same<z.infer<typeof messagingStatusView>, MessagingStatus>(true);


export const breakerSnapshot = z.object({
  state: z.enum(['closed', 'open', 'halfOpen']),
  stats: z.object({
    windowMs: z.number(),
    fires: z.number(),
    successes: z.number(),
    failures: z.number(),
    rejects: z.number(),
    timeouts: z.number(),
    bulkheadRejections: z.number(),
    consecutiveFailures: z.number().describe('failures in a row right now'),
    inFlight: z.number(),
    latencyMeanMs: z.number().describe('over the latest reads answered'),
    latencyP99Ms: z.number(),
  }),
  settings: z.object({
    readTimeoutMs: z.number().describe('now: 4x the latest p99, within the floor and maximum'),
    readTimeoutFloorMs: z.number(),
    readTimeoutMaxMs: z.number(),
    writeTimeoutMs: z.number(),
    capacity: z.number(),
    connections: z.number(),
    errorThresholdPercentage: z.number(),
    volumeThreshold: z.number(),
    consecutiveFailures: z.number().describe('failures in a row that open the breaker'),
    resetTimeoutMs: z.number(),
  }),
});
same<z.infer<typeof breakerSnapshot>, BreakerSnapshot>(true);

export const serviceMapView = z.object({
  services: z.array(
    z.object({
      name: z.string(),
      type: z.string().describe('service or website'),
      description: z.string(),
      owner: z.string(),
      lifecycle: z.string(),
      schema: z.string().nullable().describe('the Postgres schema it owns'),
      port: z.number().int().nullable(),
      slos: z.record(z.string(), z.string()).describe("its bars, from the catalog's shop/slo-* annotations"),
      runbook: z.string().nullable().describe('a path in the repository'),
      breaker: z.enum(['closed', 'open', 'halfOpen']).nullable().describe("the gateway's breaker in front of it now; null for what the gateway does not call"),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      kind: z.enum(['call', 'topic']).describe('call: HTTP from `from` to `to`; topic: `from` publishes events `to` consumes'),
      label: z.string().describe('HTTP, or the topic'),
    }),
  ),
});
same<z.infer<typeof serviceMapView>, ServiceMap>(true);

export const issuedToken = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int().describe('seconds') });
same<z.infer<typeof issuedToken>, IssuedToken>(true);

export const problemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('validation errors, one per field'),
    code: z.string().optional().describe("a domain error's stable code (UNKNOWN_PRODUCT, NOT_FOUND, NOT_CANCELLABLE...): the status says what kind of refusal it is, the code which one"),
    upstream: z.string().optional().describe('on a 429, 503 or 504 of the gateway: the service (or its operator lane) that could not answer'),
    reason: z
      .enum(['CIRCUIT_OPEN', 'BULKHEAD_FULL', 'CLIENT_OVER_SHARE', 'TIMEOUT', 'UNREACHABLE'])
      .optional()
      .describe("with `upstream`: why the gateway answered for it (its breaker is open, its bulkhead full, the caller's share used, no answer in time, unreachable)"),
  })
  .describe('RFC 9457 problem details (application/problem+json)');
same<NonNullable<z.infer<typeof problemDetails>['reason']>, UpstreamError['code']>(true);
