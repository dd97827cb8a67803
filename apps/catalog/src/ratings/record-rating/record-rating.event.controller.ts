import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PRODUCT_ROWS, RatingRepository } from '@shop/catalog/domain';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, ReviewCreatedV1 } from '@shop/shared/contracts';

/**
 * Counts one review into the rating read model. The review's contribution
 * row makes it count once whatever delivers it: the live consumer, a replay,
 * or a rebuild from the review topic running at the same time.
 */
@Controller()
export class RecordRatingEventController {
  constructor(private readonly ratings: RatingRepository<UnitTx>) {}

  @EventPattern('review.created', { locks: [PRODUCT_ROWS] })
  async handle(@Payload() event: Envelope<ReviewCreatedV1>, @Ctx() ctx: EventContext): Promise<void> {
    await this.ratings.count(ctx.tx as UnitTx, event.data);
  }
}
