import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { RefundPaymentHandler } from './refund-payment.handler';

@Controller()
export class RefundPaymentEventController {
  constructor(private readonly handler: RefundPaymentHandler) {}

  /** Isolated: it calls the provider, and holds no transaction while it waits for the answer. */
  @EventPattern('order.cancelled', { isolated: true })
  handle(@Payload() event: Envelope<OrderCancelledV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.handler.execute(event, ctx);
  }
}
