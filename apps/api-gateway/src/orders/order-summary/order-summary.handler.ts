import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { DeliveryView, OrderView, Page, PaymentView, ReviewView } from '@shop/shared/contracts';
import type { UpstreamResponse } from '@shop/platform/resilience';
import { GatewayMetrics } from '../../gateway.metrics';
import { UpstreamProxy } from '../../proxy/upstream-proxy.service';

export const SUMMARY_PARTS = ['payment', 'delivery', 'reviews'] as const;
export type SummaryPart = (typeof SUMMARY_PARTS)[number];

export interface OrderSummary {
  order: OrderView;
  payment: PaymentView | null;
  delivery: DeliveryView | null;
  reviews: ReviewView[];
  degraded: SummaryPart[];
}

/** Reviews per product read for one order's summary: the first page, which bounds the work per order. */
export const REVIEWS_PER_PRODUCT = 100;

/** The order's own answer when it is not a 200 (401, 403, 404 as the order service gave them). */
export type SummaryResult = { summary: OrderSummary } | { answer: UpstreamResponse };

/**
 * API composition: the order first (it decides who may see what), then its
 * payment, delivery and reviews in parallel. A part that cannot be fetched is
 * left empty and named in `degraded`; it never fails the summary.
 */
@Injectable()
export class OrderSummaryHandler {
  constructor(
    private readonly proxy: UpstreamProxy,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Rejects with an UpstreamError when the order service gives no answer: without the order there is nothing to summarise. */
  async execute(orderId: string, request: FastifyRequest): Promise<SummaryResult> {
    const id = encodeURIComponent(orderId);
    const answer = await this.proxy.call('order', request, { method: 'GET', path: `/api/orders/${id}`, body: null });
    if (answer.status !== 200) return { answer };
    const order = JSON.parse(answer.body.toString('utf8')) as OrderView;

    const [payments, deliveries, reviews] = await Promise.all([
      this.fetchJson<PaymentView[]>('payment', request, `/api/payments?orderId=${id}`),
      this.fetchJson<DeliveryView[]>('delivery', request, `/api/deliveries?orderId=${id}`),
      this.reviewsOf(order, request),
    ]);
    const missing: Record<SummaryPart, boolean> = { payment: !payments, delivery: !deliveries, reviews: reviews.missing };
    const degraded = SUMMARY_PARTS.filter((part) => missing[part]);
    for (const part of degraded) this.metrics.summaryDegraded.inc({ part });
    return {
      summary: {
        order,
        // One payment per order; after a retry the latest is the one that counts.
        payment: payments?.at(-1) ?? null,
        delivery: deliveries?.[0] ?? null,
        reviews: reviews.items,
        degraded,
      },
    };
  }

  /** The reviews of each product of the order that were written for this order. */
  private async reviewsOf(order: OrderView, request: FastifyRequest): Promise<{ items: ReviewView[]; missing: boolean }> {
    const productIds = [...new Set(order.items.map((item) => item.productId))];
    const pages = await Promise.all(
      productIds.map((productId) =>
        this.fetchJson<Page<ReviewView>>('review', request, `/api/products/${encodeURIComponent(productId)}/reviews?limit=${REVIEWS_PER_PRODUCT}`),
      ),
    );
    const items = pages.flatMap((page) => page?.items.filter((review) => review.orderId === order.id) ?? []);
    return { items, missing: pages.some((page) => !page) };
  }

  /** The part's JSON, or undefined when it could not be fetched (no answer, an error status, or a body that is not JSON). */
  private async fetchJson<T>(upstream: 'payment' | 'delivery' | 'review', request: FastifyRequest, path: string): Promise<T | undefined> {
    try {
      const res = await this.proxy.call(upstream, request, { method: 'GET', path, body: null });
      return res.status === 200 ? (JSON.parse(res.body.toString('utf8')) as T) : undefined;
    } catch {
      return undefined;
    }
  }
}
