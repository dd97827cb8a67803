import { Injectable } from '@nestjs/common';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import { RatingRepository } from '@shop/catalog/domain';
import { lockShared } from '@shop/platform/database';
import { importExport } from '@shop/platform/http';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { ApiImportResult } from '@shop/shared/contracts';
import { ReviewExport } from './review-export';

/**
 * Imports the rating read model from the review service's export, without the
 * broker: in full, or the reviews written since a time. Each page is counted
 * in one unit of work through the same contribution rule as the event handler
 * (a review counts once, whoever delivers it); when the export is done, every
 * product's rating is recomputed from the counted reviews, as the topic
 * rebuild does.
 */
@Injectable()
export class ImportRatingsHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ratings: RatingRepository<UnitTx>,
    private readonly reviews: ReviewExport,
  ) {}

  async execute(from: { since?: string; cursor?: string }): Promise<ApiImportResult & { products: number }> {
    const result = await importExport(this.reviews, from, async (reviews) => {
      let imported = 0;
      await this.unitOfWork.run(async (tx) => {
        await lockShared(tx, [PRODUCT_ROWS]);
        for (const { reviewId, productId, rating } of reviews) if (await this.ratings.count(tx, { reviewId, productId, rating })) imported++;
      });
      return imported;
    });
    const products = result.nextCursor === null ? await this.ratings.recomputeAll() : 0;
    return { ...result, products };
  }
}
