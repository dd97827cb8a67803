import { Controller, Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CatalogPrismaService, CatalogTx } from '@shop/catalog/data-access';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, ReviewCreatedV1 } from '@shop/shared/contracts';
import { CATALOG_GROUP } from '../../stock/reserve-stock/reserve-stock.handler';

/**
 * Counts one review into the rating read model. The review's contribution
 * row makes it count once whatever delivers it: the live consumer, a replay,
 * or a rebuild from the review topic running at the same time.
 */
export async function countReview(tx: CatalogTx, review: Pick<ReviewCreatedV1, 'reviewId' | 'productId' | 'rating'>): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    'insert into rating_contributions (review_id, product_id, rating) values ($1::uuid, $2::uuid, $3) on conflict do nothing',
    review.reviewId,
    review.productId,
    review.rating,
  );
  if (inserted === 0) return false;
  // A review of a product that is gone changes no product; its contribution is kept for a later rebuild.
  await tx.product.updateMany({
    where: { id: review.productId },
    data: { ratingCount: { increment: 1 }, ratingSum: { increment: review.rating } },
  });
  return true;
}

@Injectable()
export class RecordRatingHandler {
  constructor(private readonly db: CatalogPrismaService) {}

  async execute(event: Envelope<ReviewCreatedV1>, group = CATALOG_GROUP): Promise<void> {
    await processOnce(this.db, group, event, (tx) => countReview(tx, event.data).then(() => undefined));
  }
}

@Controller()
export class RecordRatingEventController {
  constructor(private readonly handler: RecordRatingHandler) {}

  @EventPattern('review.created')
  handle(@Payload() event: Envelope<ReviewCreatedV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
