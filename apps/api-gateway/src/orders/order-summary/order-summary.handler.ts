import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { DeliveryView, OrderView, Page, PaymentView, ReviewView } from '@shop/shared/contracts';
import type { UpstreamResponse } from '@shop/platform/resilience';
import type { GatewayConfig } from '../../config/gateway.config';
import { GatewayMetrics } from '../../metrics/gateway.metrics';
import { UpstreamProxy } from '../../proxy/upstream-proxy.service';
import { GATEWAY_CONFIG } from '../../upstreams/upstreams';

export const SUMMARY_PARTS = ['payment', 'delivery', 'reviews'] as const;
export type SummaryPart = (typeof SUMMARY_PARTS)[number];

export interface OrderSummary {
  order: OrderView;
  payment: PaymentView | null;
  delivery: DeliveryView | null;
  reviews: ReviewView[];
  degraded: SummaryPart[];
}

/** Reviews per page read while looking for an order's reviews (the contract's largest page). */
export const REVIEWS_PAGE_SIZE = 100;
/** Products whose reviews are read at once: one summary must not take a whole bulkhead. */
const PRODUCTS_AT_ONCE = 4;
/** Clocks of the order and review services may disagree by this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** What each part must look like to be used: a list, or a page of reviews (anything else is a part missing, not an empty one). */
const isList = <T>(value: unknown): value is T[] => Array.isArray(value);
const isPage = <T>(value: unknown): value is Page<T> => typeof value === 'object' && value !== null && Array.isArray((value as { items?: unknown }).items);

const reviewsPage = (productId: string, cursor: string | null): string =>
  `/api/products/${encodeURIComponent(productId)}/reviews?limit=${REVIEWS_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/** The order's own answer when it is not a 200 (401, 403, 404 as the order service gave them). */
export type SummaryResult = { summary: OrderSummary } | { answer: UpstreamResponse };

/**
 * API composition: the order first (it decides who may see what), then its
 * payment, delivery and reviews in parallel, all within one deadline
 * (SUMMARY_PARTS_TIMEOUT_MS). A part that cannot be fetched in time is left
 * empty and named in `degraded`; it never fails the summary, and once a
 * part's breaker is open it is refused at once, so a hung service costs the
 * summary nothing.
 */
@Injectable()
export class OrderSummaryHandler {
  constructor(
    private readonly proxy: UpstreamProxy,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Rejects with an UpstreamError when the order service gives no answer: without the order there is nothing to summarise. */
  async execute(orderId: string, request: FastifyRequest): Promise<SummaryResult> {
    const id = encodeURIComponent(orderId);
    const answer = await this.proxy.call('order', request, { method: 'GET', path: `/api/orders/${id}`, body: null });
    if (answer.status !== 200) return { answer };
    const order = JSON.parse(answer.body.toString('utf8')) as OrderView;

    const deadline = performance.now() + this.config.SUMMARY_PARTS_TIMEOUT_MS;
    const [payments, deliveries, reviews] = await Promise.all([
      this.fetchJson('payment', request, `/api/payments?orderId=${id}`, deadline, isList<PaymentView>),
      this.fetchJson('delivery', request, `/api/deliveries?orderId=${id}`, deadline, isList<DeliveryView>),
      this.reviewsOf(order, request, deadline),
    ]);
    const missing: Record<SummaryPart, boolean> = { payment: !payments, delivery: !deliveries, reviews: !reviews };
    const degraded = SUMMARY_PARTS.filter((part) => missing[part]);
    for (const part of degraded) this.metrics.compositionDegraded.inc({ part });
    return {
      summary: {
        order,
        // One payment per order; after a retry the latest is the one that counts.
        payment: payments?.at(-1) ?? null,
        delivery: deliveries?.[0] ?? null,
        reviews: reviews ?? [],
        degraded,
      },
    };
  }

  /**
   * The reviews written for this order, one per product at most, or
   * undefined when they could not all be read. Only a delivered order can
   * have been reviewed, and only after its delivery: each product's reviews
   * are paged newest first until this order's review turns up or the pages
   * reach back before the delivery, however many reviews the product has.
   */
  private async reviewsOf(order: OrderView, request: FastifyRequest, deadline: number): Promise<ReviewView[] | undefined> {
    const deliveredAt = order.history.find((step) => step.status === 'DELIVERED')?.at;
    if (order.status !== 'DELIVERED' || !deliveredAt) return [];
    const notBefore = Date.parse(deliveredAt) - CLOCK_SKEW_MS;
    const productIds = [...new Set(order.items.map((item) => item.productId))];
    const found: ReviewView[] = [];
    let complete = true;
    const next = async (): Promise<void> => {
      for (let productId = productIds.shift(); productId !== undefined && complete; productId = productIds.shift()) {
        const review = await this.reviewOf(order.id, productId, notBefore, request, deadline);
        if (review === undefined) complete = false;
        else if (review) found.push(review);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PRODUCTS_AT_ONCE, productIds.length) }, next));
    return complete ? found : undefined;
  }

  /** This order's review of the product, null when there is none, undefined when the pages could not be read. */
  private async reviewOf(orderId: string, productId: string, notBefore: number, request: FastifyRequest, deadline: number): Promise<ReviewView | null | undefined> {
    let cursor: string | null = null;
    for (;;) {
      const page: Page<ReviewView> | undefined = await this.fetchJson('review', request, reviewsPage(productId, cursor), deadline, isPage<ReviewView>);
      if (!page) return undefined;
      const mine = page.items.find((review) => review.orderId === orderId);
      if (mine) return mine;
      const oldest = page.items.at(-1);
      if (!oldest || Date.parse(oldest.createdAt) < notBefore || !page.nextCursor) return null;
      cursor = page.nextCursor;
    }
  }

  /** The part's JSON, or undefined when it could not be fetched in time (no answer, an error status, a body that is not JSON or not of the part's shape). */
  private async fetchJson<T>(
    upstream: 'payment' | 'delivery' | 'review',
    request: FastifyRequest,
    path: string,
    deadline: number,
    isShape: (value: unknown) => value is T,
  ): Promise<T | undefined> {
    const timeoutMs = Math.floor(deadline - performance.now());
    if (timeoutMs <= 0) return undefined;
    try {
      const res = await this.proxy.call(upstream, request, { method: 'GET', path, body: null, timeoutMs });
      if (res.status !== 200) return undefined;
      const body: unknown = JSON.parse(res.body.toString('utf8'));
      return isShape(body) ? body : undefined;
    } catch {
      return undefined;
    }
  }
}
