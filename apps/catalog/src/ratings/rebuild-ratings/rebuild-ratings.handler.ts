import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { PRODUCT_ROWS, RatingRepository } from '@shop/catalog/domain';
import { lockShared } from '@shop/platform/database';
import { readEventsToEnd, UnitOfWork, UnitTx } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ReviewCreatedV1, Topics } from '@shop/shared/contracts';

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
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {}

  async execute(): Promise<{ events: number; imported: number; products: number }> {
    let imported = 0;
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.reviewReviews}`;
    const events = await readEventsToEnd<ReviewCreatedV1>(this.kafka, topic, 'review.created', (reviews) =>
      this.unitOfWork.run(async (tx) => {
        await lockShared(tx, [PRODUCT_ROWS]);
        for (const review of reviews) if (await this.ratings.count(tx, review)) imported++;
      }),
    );
    const products = await this.ratings.recomputeAll();
    return { events, imported, products };
  }
}
