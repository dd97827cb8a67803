import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReviewPrismaService } from '@shop/review/data-access';
import { ReviewEntity, ReviewError, ReviewGrant } from '@shop/review/domain';
import { Outbox } from '@shop/platform/messaging';
import type { CreateReviewRequest, ReviewView } from '@shop/shared/contracts';
import { reviewCreated, toReviewView } from '../review.mapper';

/**
 * Writes a review against the caller's grant for (order, product), and its
 * review.created event in the same transaction. The grant's "used" state is
 * read here for a clear answer; the unique (order_id, product_id) index is
 * what keeps two racing requests from both succeeding.
 */
@Injectable()
export class CreateReviewHandler {
  constructor(
    private readonly db: ReviewPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(author: { customerId: string; productId: string }, request: CreateReviewRequest): Promise<ReviewView> {
    const { customerId, productId } = author;
    const { orderId } = request;
    try {
      const record = await this.db.$transaction(async (tx) => {
        const row = await tx.reviewGrant.findUnique({ where: { orderId_productId: { orderId, productId } } });
        const used = row ? (await tx.review.count({ where: { orderId, productId } })) > 0 : false;
        const grant = row ? ReviewGrant.restore({ customerId: row.customerId, productId: row.productId, orderId: row.orderId }, { used }) : null;
        const review = ReviewEntity.write({ id: randomUUID(), customerId, productId, orderId, rating: request.rating, comment: request.comment }, grant);
        const r = review.snapshot;
        const created = await tx.review.create({
          data: { id: r.id, productId: r.productId, orderId: r.orderId, customerId: r.customerId, rating: r.rating, comment: r.comment },
        });
        await this.outbox.append(tx, [reviewCreated(review)]);
        return created;
      });
      return toReviewView(record);
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        throw new ReviewError('ALREADY_REVIEWED', `product ${productId} was already reviewed for order ${orderId}`);
      }
      throw err;
    }
  }
}
