import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { readEventsToEnd } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ReviewCreatedV1, Topics } from '@shop/shared/contracts';
import { countReview } from '../record-rating/record-rating.event.controller';

/**
 * Rebuilds the rating read model from the review topic, from its beginning,
 * while the service keeps consuming: reviews missing from the model are
 * counted (partial import), then every product's rating is recomputed from
 * the counted reviews (full rebuild).
 */
@Injectable()
export class RebuildRatingsHandler {
  constructor(
    private readonly db: CatalogPrismaService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {}

  async execute(): Promise<{ events: number; imported: number; products: number }> {
    let imported = 0;
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.reviewReviews}`;
    const events = await readEventsToEnd<ReviewCreatedV1>(this.kafka, topic, 'review.created', async (reviews) => {
      await this.db.$transaction(async (tx) => {
        for (const review of reviews) if (await countReview(tx, review)) imported++;
      });
    });
    const products = await this.db.$transaction(async (tx) => {
      // Live consumers wait the few milliseconds this takes, so no review is counted twice or lost.
      await tx.$executeRawUnsafe('lock table rating_contributions in share mode');
      return tx.$executeRawUnsafe(`
        update products p set rating_count = coalesce(c.n, 0), rating_sum = coalesce(c.s, 0)
          from products q left join (select product_id, count(*)::int as n, sum(rating)::int as s
                                       from rating_contributions group by product_id) c on c.product_id = q.id
         where p.id = q.id and (p.rating_count, p.rating_sum) is distinct from (coalesce(c.n, 0), coalesce(c.s, 0))`);
    });
    return { events, imported, products };
  }
}
