import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReviewEntity, ReviewRepository } from '@shop/review/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { CreateReviewRequest, ReviewView } from '@shop/shared/contracts';
import { toOutboundEvents, toReviewView } from '../review.mapper';

/**
 * Writes a review against the caller's grant for (order, product), and its
 * review.created event in the same unit of work. The grant's "used" state is
 * read for a clear answer; the unique (order_id, product_id) index is what
 * keeps two racing requests from both succeeding.
 */
@Injectable()
export class CreateReviewHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reviews: ReviewRepository<UnitTx>,
  ) {}

  execute(author: { customerId: string; productId: string }, request: CreateReviewRequest): Promise<ReviewView> {
    const { customerId, productId } = author;
    const { orderId } = request;
    return this.unitOfWork.run(async (tx) => {
      const grant = await this.reviews.grant(tx, orderId, productId);
      const review = ReviewEntity.write({ id: randomUUID(), customerId, productId, orderId, rating: request.rating, comment: request.comment }, grant);
      this.reviews.add(tx, review);
      tx.publish(...toOutboundEvents(review, review.pullEvents()));
      return toReviewView({ ...review.snapshot, createdAt: new Date() });
    });
  }
}
