import { Controller, Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, ReviewCreatedV1 } from '@shop/shared/contracts';
import { CATALOG_GROUP } from '../../stock/reserve-stock/reserve-stock.handler';

/** The rating read model: count and sum per product, fed by review events, each counted once. */
@Injectable()
export class RecordRatingHandler {
  constructor(private readonly db: CatalogPrismaService) {}

  async execute(event: Envelope<ReviewCreatedV1>, group = CATALOG_GROUP): Promise<void> {
    const { productId, rating } = event.data;
    await processOnce(this.db, group, event, async (tx) => {
      // A review of a product that is gone changes nothing; the event is still consumed.
      await tx.product.updateMany({ where: { id: productId }, data: { ratingCount: { increment: 1 }, ratingSum: { increment: rating } } });
    });
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
