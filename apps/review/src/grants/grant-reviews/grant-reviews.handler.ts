import { Injectable } from '@nestjs/common';
import { ReviewPrismaService } from '@shop/review/data-access';
import { ReviewGrant } from '@shop/review/domain';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderDeliveredV1 } from '@shop/shared/contracts';

export const REVIEW_GROUP = 'review';

/**
 * A delivered order lets its customer review each product in it: one grant
 * per product, written once per event (inbox) and once per (order, product)
 * even when the order service republishes the delivery under a new event id.
 */
@Injectable()
export class GrantReviewsHandler {
  constructor(private readonly db: ReviewPrismaService) {}

  async execute(event: Envelope<OrderDeliveredV1>, group = REVIEW_GROUP): Promise<void> {
    const grants = ReviewGrant.forDeliveredOrder(event.data);
    await processOnce(this.db, group, event, async (tx) => {
      await tx.reviewGrant.createMany({ data: grants.map((g) => ({ ...g.props })), skipDuplicates: true });
    });
  }
}
