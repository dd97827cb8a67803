import { Injectable } from '@nestjs/common';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import { RatingRepository } from '@shop/catalog/domain';
import { lockShared } from '@shop/platform/database';
import { EventHistory, UnitOfWork, UnitTx } from '@shop/platform/messaging';

/**
 * Rebuilds the rating read model from the review topic, from its beginning,
 * while the service keeps consuming: reviews missing from the model are
 * counted (partial import), then every product's rating is recomputed from
 * the counted reviews (full rebuild).
 */
@Injectable()
export class RebuildRatingsHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ratings: RatingRepository<UnitTx>,
    private readonly reviews: EventHistory<'review.created'>,
  ) {}

  async execute(): Promise<{ events: number; imported: number; products: number }> {
    let imported = 0;
    const events = await this.reviews.read((reviews) =>
      this.unitOfWork.run(async (tx) => {
        await lockShared(tx, [PRODUCT_ROWS]);
        for (const review of reviews) if (await this.ratings.count(tx, review)) imported++;
      }),
    );
    const products = await this.ratings.recomputeAll();
    return { events, imported, products };
  }
}
