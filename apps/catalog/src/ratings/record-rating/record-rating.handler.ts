import { Injectable } from '@nestjs/common';
import { RatingRepository } from '@shop/catalog/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { ReviewCreatedV1 } from '@shop/shared/contracts';

/**
 * Counts one review into the rating read model. The review's contribution
 * row makes it count once whatever delivers it: the live consumer, a replay,
 * or a rebuild from the review topic running at the same time. The unit holds
 * the products' shared lock (the event controller declares it), as a rebuild
 * does, so the two never deadlock on product rows.
 */
@Injectable()
export class RecordRatingHandler {
  constructor(private readonly ratings: RatingRepository<UnitTx>) {}

  /** True when this review was counted now, false when it had been already. */
  execute(tx: UnitTx, review: ReviewCreatedV1): Promise<boolean> {
    const { reviewId, productId, rating } = review;
    return this.ratings.count(tx, { reviewId, productId, rating });
  }
}
