import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderDeliveredV1 } from '@shop/shared/contracts';
import { GrantReviewsHandler } from './grant-reviews.handler';

@Controller()
export class GrantReviewsEventController {
  constructor(private readonly handler: GrantReviewsHandler) {}

  @EventPattern('order.delivered')
  handle(@Payload() event: Envelope<OrderDeliveredV1>, @Ctx() ctx: EventContext): void {
    this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
