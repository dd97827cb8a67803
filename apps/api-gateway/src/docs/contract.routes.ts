import { z } from 'zod';
import {
  createProductSchema,
  createReviewSchema,
  deliveryQuerySchema,
  idempotencyKeySchema,
  pageQuerySchema,
  paymentQuerySchema,
  placeOrderSchema,
  productListQuerySchema,
  updateProductSchema,
  waitingRoomChangeSchema,
} from '@shop/shared/contracts';
import { dlqListQuerySchema, dlqReplayBodySchema, messagingStatusQuerySchema, readModelParamSchema, rebuildBodySchema, republishBodySchema } from '../admin/operations/operations.schemas';
import { chartsQuerySchema, chartsView } from '../admin/charts/charts.schemas';
import { issueTokenBodySchema } from '../auth/issue-token/issue-token.schemas';
import { canaryBodySchema, releaseReportSchema, releaseView, upstreamParamSchema } from '../releases/release.schemas';
import type { UpstreamName } from '../upstreams/upstreams';
import {
  breakerSnapshot,
  deadLetterView,
  deliveryView,
  issuedToken,
  messagingStatusView,
  orderSummary,
  orderView,
  page,
  paymentView,
  productView,
  rebuildResult,
  reviewView,
  serviceMapView,
  waitingRoomTicketView,
  waitingRoomView,
} from './response.schemas';

/**
 * Who may call a route: anyone; any valid token (the service then decides
 * ownership: someone else's order is a 404); or a token with that role.
 */
export type Access = 'public' | 'token' | 'customer' | 'admin';

export interface ContractRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As the gateway serves it, `:param` style. */
  path: string;
  /** Where the gateway sends it: one service, several (composition), the one named in the request, or none. */
  upstream: UpstreamName | UpstreamName[] | 'named in the request' | 'gateway';
  access: Access;
  summary: string;
  description?: string;
  /** Path parameters that are not UUIDs (the default). */
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: Array<{ name: string; schema: z.ZodType; description: string }>;
  success: { status: number; description: string; schema: z.ZodType; headers?: Record<string, string> };
  /** Error statuses beyond the ones every route of its kind has (401/403 from access, 429 from rate limits, 503/504 from upstreams). */
  errors: number[];
  /** A catalog read served from the last good answer when the catalog fails: how its stale-cache key is made. */
  staleFallback?: 'list' | 'item';
}

/**
 * docs/contract.md, route by route: what the OpenAPI document says and
 * what the gateway must serve. A unit test holds the gateway's controllers to
 * this table, so neither can change without the other.
 */
export const CONTRACT_ROUTES: ContractRoute[] = [
  {
    method: 'GET',
    path: '/api/products',
    upstream: 'catalog',
    access: 'public',
    summary: 'List products, newest first, or search them (full text, ranked), by category and price range',
    description:
      'Without `q`, newest first; with `q` (web-search syntax: words, "quoted phrases", `or`, `-word`), a full-text search over name, SKU, category and description, most relevant first, then newest. `category`, `minPriceCents` and `maxPriceCents` filter either; `nextCursor` pages either (a search cursor is only valid for a search). When the catalog fails or its breaker is open, the last good answer for the same request (the same parameters however spelt, at most CATALOG_STALE_TTL_MS old) is served with `X-Cache: stale` and `Warning: 110`.',
    query: productListQuerySchema,
    success: { status: 200, description: 'a page of products', schema: page(productView) },
    errors: [400],
    staleFallback: 'list',
  },
  {
    method: 'GET',
    path: '/api/products/:id',
    upstream: 'catalog',
    access: 'public',
    summary: 'One product',
    description: 'Falls back to a stale copy like the list.',
    success: { status: 200, description: 'the product', schema: productView },
    errors: [404],
    staleFallback: 'item',
  },
  {
    method: 'POST',
    path: '/api/products',
    upstream: 'catalog',
    access: 'admin',
    summary: 'Create a product',
    body: createProductSchema,
    success: { status: 201, description: 'created', schema: productView },
    errors: [400, 409, 413],
  },
  {
    method: 'PATCH',
    path: '/api/products/:id',
    upstream: 'catalog',
    access: 'admin',
    summary: 'Change name, description, price, stock or category',
    body: updateProductSchema,
    success: { status: 200, description: 'updated', schema: productView },
    errors: [400, 404, 413],
  },
  {
    method: 'PUT',
    path: '/api/products/:id/picture',
    upstream: 'catalog',
    access: 'admin',
    summary: "Set a product's picture",
    description:
      'The body is the image itself, sent with its content type: `image/png`, `image/jpeg` or `image/webp`, at most 512 KiB. The type is checked against the bytes (their magic numbers); an empty, oversized, unknown or mislabelled image is a 400 and stores nothing. Answers the product with its new `picture`.',
    success: { status: 200, description: 'the product with its picture', schema: productView },
    errors: [400, 404, 413, 415],
  },
  {
    method: 'GET',
    path: '/api/products/:id/picture',
    upstream: 'catalog',
    access: 'public',
    summary: "A product's picture",
    description:
      "The image bytes with their content type (not JSON), `ETag` (the bytes' sha256) and `Cache-Control: public, max-age=60, must-revalidate`; `If-None-Match` with the current etag answers 304. 404 when the product has no picture.",
    success: { status: 200, description: 'the image', schema: z.string().describe('binary: image/png, image/jpeg or image/webp') },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/categories',
    upstream: 'catalog',
    access: 'public',
    summary: 'The categories in use, with their product counts',
    success: {
      status: 200,
      description: 'every category, by name',
      schema: z.object({ items: z.array(z.object({ name: z.string(), productCount: z.number().int() })) }),
    },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/orders',
    upstream: 'order',
    access: 'customer',
    summary: 'Place an order, or take a place in the waiting room',
    description:
      'Accepted as PENDING; the lifecycle continues through events. The same Idempotency-Key and body return the same order. ' +
      'While the waiting room is open (the lifecycle is saturated, or an operator opened it) the answer is a ticket instead (it has `ticketId`; `Location` and `Retry-After` point to it): ' +
      'a place in a first-come, first-served line, turned into the order, with the same Idempotency-Key, when its turn comes. ' +
      'One place per customer: the same key while waiting returns the same ticket; another checkout while waiting is a 409.',
    body: placeOrderSchema,
    headers: [{ name: 'Idempotency-Key', schema: idempotencyKeySchema, description: 'same key and body: same order; same key, other body: 422' }],
    success: {
      status: 202,
      description: 'accepted: the order, or a waiting-room ticket',
      schema: z.union([orderView, waitingRoomTicketView]),
      headers: { Location: '/api/orders/{id} or /api/waiting-room/tickets/{ticketId}', 'Retry-After': 'a ticket: seconds until it is worth looking again' },
    },
    errors: [400, 409, 413, 422],
  },
  {
    method: 'GET',
    path: '/api/waiting-room/tickets/:id',
    upstream: 'order',
    access: 'token',
    summary: 'A waiting-room ticket (owner or admin)',
    description:
      "Its place in line and the estimated wait while WAITING, the order once ADMITTED. Each look by its owner keeps it alive; one nobody looked at for the room's ticket TTL expires. Someone else's ticket is a 404.",
    success: { status: 200, description: 'the ticket', schema: waitingRoomTicketView, headers: { 'Retry-After': 'while WAITING: seconds until it is worth looking again' } },
    errors: [404],
  },
  {
    method: 'DELETE',
    path: '/api/waiting-room/tickets/:id',
    upstream: 'order',
    access: 'customer',
    summary: 'Leave the waiting room (owner)',
    success: { status: 200, description: 'the ticket, LEFT (or as it ended before)', schema: waitingRoomTicketView },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/orders',
    upstream: 'order',
    access: 'token',
    summary: "The caller's orders, newest first",
    query: pageQuerySchema,
    success: { status: 200, description: 'a page of orders', schema: page(orderView) },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/api/orders/:id',
    upstream: 'order',
    access: 'token',
    summary: 'One order (owner or admin)',
    description: "Someone else's order is a 404.",
    success: { status: 200, description: 'the order', schema: orderView },
    errors: [404],
  },
  {
    method: 'POST',
    path: '/api/orders/:id/cancel',
    upstream: 'order',
    access: 'token',
    summary: 'Cancel an order (owner)',
    success: { status: 202, description: 'cancelled; refund and stock release follow', schema: orderView },
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/api/orders/:id/summary',
    upstream: ['order', 'payment', 'delivery', 'review'],
    access: 'token',
    summary: 'An order with its payment, delivery and reviews (owner or admin)',
    description:
      'The order first (its 401/403/404 are returned as they are), then payment, delivery and reviews in parallel. A part that cannot be fetched is null or empty and named in `degraded`.',
    success: { status: 200, description: 'the summary, possibly degraded', schema: orderSummary },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/payments',
    upstream: 'payment',
    access: 'token',
    summary: "An order's payments (owner or admin)",
    query: paymentQuerySchema,
    success: { status: 200, description: 'the payments', schema: z.array(paymentView) },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/api/deliveries',
    upstream: 'delivery',
    access: 'token',
    summary: "An order's delivery (owner or admin)",
    query: deliveryQuerySchema,
    success: { status: 200, description: 'the deliveries', schema: z.array(deliveryView) },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/api/admin/waiting-room',
    upstream: 'order',
    access: 'admin',
    summary: "The waiting room's state, its line and the lifecycle it protects",
    success: { status: 200, description: 'the room', schema: waitingRoomView },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/api/admin/waiting-room',
    upstream: 'order',
    access: 'admin',
    summary: 'Open or close the waiting room, or give it back to itself (auto), optionally at a fixed admission rate',
    description: 'Closing lets everybody waiting through at once.',
    body: waitingRoomChangeSchema,
    success: { status: 200, description: 'the room after the change', schema: waitingRoomView },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/api/admin/deliveries/:id/advance',
    upstream: 'delivery',
    access: 'admin',
    summary: 'Move a parcel to its next courier step',
    success: { status: 200, description: 'the delivery after the step', schema: deliveryView },
    errors: [404, 409],
  },
  {
    method: 'POST',
    path: '/api/products/:id/reviews',
    upstream: 'review',
    access: 'customer',
    summary: 'Review a product of a delivered order',
    description: '403 when the order is not the caller\'s, not delivered, or lacks the product; 409 for a second review.',
    body: createReviewSchema,
    success: { status: 201, description: 'created', schema: reviewView },
    errors: [400, 409, 413],
  },
  {
    method: 'GET',
    path: '/api/products/:id/reviews',
    upstream: 'review',
    access: 'public',
    summary: "A product's reviews, newest first",
    query: pageQuerySchema,
    success: { status: 200, description: 'a page of reviews', schema: page(reviewView) },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/api/admin/dlq',
    upstream: 'named in the request',
    access: 'admin',
    summary: "A service's dead-lettered messages not replayed yet",
    query: dlqListQuerySchema,
    success: { status: 200, description: 'the dead letters', schema: z.object({ items: z.array(deadLetterView) }) },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/api/admin/dlq/replay',
    upstream: 'named in the request',
    access: 'admin',
    summary: "Replay a service's dead letters (all, or those ids) through its first retry tier",
    body: dlqReplayBodySchema,
    success: { status: 200, description: 'how many were replayed', schema: z.object({ replayed: z.number().int() }) },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/api/admin/events/republish',
    upstream: 'named in the request',
    access: 'admin',
    summary: "Re-publish events from a service's outbox history; consumers deduplicate",
    body: republishBodySchema,
    success: { status: 200, description: 'how many were queued again', schema: z.object({ republished: z.number().int() }) },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/api/admin/read-models/:name/rebuild',
    upstream: ['order', 'catalog'],
    access: 'admin',
    summary: 'Rebuild a read model, `product-snapshots` (order service) or `ratings` (catalog), from its topic or from its owner’s export API',
    description:
      "`source: topic` (default) re-reads the owner's topic from its beginning. `source: api` imports from the owner's export without the broker, in full or `since` a time, a couple of seconds per request: while `nextCursor` is not null, send it back as `cursor` with the same `since`. Either way a read model never moves back to an older version, and running it twice changes nothing. An unknown name is a 400.",
    params: { name: readModelParamSchema },
    body: rebuildBodySchema,
    success: { status: 200, description: 'what this step did', schema: rebuildResult },
    errors: [400, 502],
  },
  {
    method: 'GET',
    path: '/api/admin/messaging',
    upstream: 'named in the request',
    access: 'admin',
    summary: "A service's outbox backlog, consumer group members and consumer lag per topic",
    query: messagingStatusQuerySchema,
    success: { status: 200, description: 'the messaging status', schema: messagingStatusView },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/api/admin/breakers',
    upstream: 'gateway',
    access: 'admin',
    summary: "Every upstream's circuit breaker: state and rolling-window counters",
    success: { status: 200, description: 'per upstream', schema: z.record(z.string(), breakerSnapshot) },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/admin/service-catalog',
    upstream: 'gateway',
    access: 'admin',
    summary: "The service catalog as a graph: every app (owner, lifecycle, schema, bars, runbook, the gateway's breaker in front of it now), and the calls and topics between them",
    description: "Built from the apps' catalog-info.yaml (Backstage's format), which a unit check holds to the code and the manifests.",
    success: { status: 200, description: 'nodes and edges', schema: serviceMapView },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/admin/charts',
    upstream: 'gateway',
    access: 'admin',
    summary: "The operator console's charts: orders by outcome, order latencies, consumer lag, outbox backlog, dead letters, breakers",
    description: "Read from Prometheus's query API by the gateway (PROMETHEUS_URL), which is never exposed itself. Without one, `available` is false.",
    query: chartsQuerySchema,
    success: { status: 200, description: 'one series per outcome, percentile, service or upstream', schema: chartsView },
    errors: [400, 502],
  },
  {
    method: 'GET',
    path: '/api/admin/releases',
    upstream: 'gateway',
    access: 'admin',
    summary: "Canary releases: each upstream's stable and canary instances, the canary's share of the calls, what each one's breaker counted, and the release tool's last report",
    success: { status: 200, description: 'per upstream', schema: z.object({ releases: z.array(releaseView) }) },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/api/admin/releases/:upstream/canary',
    upstream: 'gateway',
    access: 'admin',
    summary: "Send a share of the gateway's calls to an upstream to a canary instance (its own pool and breaker); the release tool sets it",
    description: 'Kept in memory only: a restarted gateway sends every call to the stable instance. While the canary\'s breaker is open its share goes to the stable instance.',
    params: { upstream: upstreamParamSchema },
    body: canaryBodySchema,
    success: { status: 200, description: 'the upstream with its canary', schema: releaseView },
    errors: [400],
  },
  {
    method: 'DELETE',
    path: '/api/admin/releases/:upstream/canary',
    upstream: 'gateway',
    access: 'admin',
    summary: 'Send every call to the upstream to its stable instance again',
    params: { upstream: upstreamParamSchema },
    success: { status: 200, description: 'the upstream without a canary', schema: releaseView },
    errors: [400],
  },
  {
    method: 'PUT',
    path: '/api/admin/releases/:upstream/report',
    upstream: 'gateway',
    access: 'admin',
    summary: "The release tool's report of a release: the confidence check's signals, its verdict and reasons, for the console",
    params: { upstream: upstreamParamSchema },
    body: releaseReportSchema,
    success: { status: 200, description: 'the upstream with the report', schema: releaseView },
    errors: [400],
  },
  {
    method: 'POST',
    path: '/api/auth/token',
    upstream: 'gateway',
    access: 'public',
    summary: 'Demo issuer: a token for any customer id and role',
    description: 'Exists only when the gateway runs with AUTH_DEMO_ISSUER=true (local stack, compose); 404 otherwise. A customer id is generated when absent.',
    body: issueTokenBodySchema,
    success: { status: 200, description: 'a bearer token', schema: issuedToken },
    errors: [400, 404],
  },
];
