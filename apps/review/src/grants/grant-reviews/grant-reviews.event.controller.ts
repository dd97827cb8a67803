import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderDeliveredV1 } from '@shop/shared/contracts';
import { GrantReviewsHandler } from './grant-reviews.handler';

@Controller()
export class GrantReviewsEventController {
  constructor(private readonly handler: GrantReviewsHandler) {}

  @EventPattern('order.delivered')
  handle(@Payload() event: Envelope<OrderDeliveredV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
