import type { ReviewEntity, ReviewEvent, StoredReview } from '@shop/review/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import type { ReviewView } from '@shop/shared/contracts';

export function toReviewView(r: StoredReview): ReviewView {
  return {
    id: r.id,
    productId: r.productId,
    orderId: r.orderId,
    customerId: r.customerId,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The integration events for what the review recorded, keyed by the review: what the catalog's rating read model needs. */
export function toOutboundEvents(review: ReviewEntity, events: ReviewEvent[]): OutboundEvent[] {
  const { id: reviewId, productId, orderId, customerId, rating } = review.snapshot;
  return events.map((e): OutboundEvent => {
    const base = { aggregateId: reviewId, aggregateVersion: e.version };
    switch (e.type) {
      case 'created':
        return { ...base, type: 'review.created', data: { reviewId, productId, orderId, customerId, rating } };
    }
  });
}
