import type { ReviewRecord } from '@shop/review/data-access';
import type { ReviewEntity } from '@shop/review/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import type { ReviewView } from '@shop/shared/contracts';

export function toReviewView(r: Pick<ReviewRecord, 'id' | 'productId' | 'orderId' | 'customerId' | 'rating' | 'comment' | 'createdAt'>): ReviewView {
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

/** What the catalog's rating read model needs. A review is written once, so its aggregate version is 1. */
export function reviewCreated(review: ReviewEntity): OutboundEvent<'review.created'> {
  const r = review.snapshot;
  return {
    type: 'review.created',
    aggregateId: r.id,
    aggregateVersion: 1,
    data: { reviewId: r.id, productId: r.productId, orderId: r.orderId, customerId: r.customerId, rating: r.rating },
  };
}
