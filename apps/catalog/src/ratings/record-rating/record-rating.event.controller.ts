import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, ReviewCreatedV1 } from '@shop/shared/contracts';
import { RecordRatingHandler } from './record-rating.handler';

@Controller()
export class RecordRatingEventController {
  constructor(private readonly handler: RecordRatingHandler) {}

  @EventPattern('review.created', { locks: [PRODUCT_ROWS] })
  async handle(@Payload() event: Envelope<ReviewCreatedV1>, @Ctx() ctx: EventContext): Promise<void> {
    await this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
