import { randomUUID } from 'node:crypto';
import { ReviewEntity, ReviewGrant } from '@shop/review/domain';
import { toOutboundEvents, toReviewView } from './review.mapper';

describe('review mapper', () => {
  const orderId = randomUUID();
  const productId = randomUUID();
  const [grant] = ReviewGrant.forDeliveredOrder({ orderId, customerId: 'ada', productIds: [productId] });

  it('turns a written review into review.created at version 1, keyed by the review', () => {
    const review = ReviewEntity.write({ id: randomUUID(), orderId, productId, customerId: 'ada', rating: 4, comment: 'Boils fast' }, grant);
    const id = review.snapshot.id;
    expect(toOutboundEvents(review, review.pullEvents())).toEqual([
      { type: 'review.created', aggregateId: id, aggregateVersion: 1, data: { reviewId: id, productId, orderId, customerId: 'ada', rating: 4 } },
    ]);
  });

  it('shows a stored review with its comment and the time it was stored', () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    const id = randomUUID();
    expect(toReviewView({ id, orderId, productId, customerId: 'ada', rating: 5, comment: null, createdAt: at })).toEqual({
      id,
      productId,
      orderId,
      customerId: 'ada',
      rating: 5,
      comment: null,
      createdAt: at.toISOString(),
    });
  });
});
