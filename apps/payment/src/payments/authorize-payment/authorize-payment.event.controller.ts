import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext } from '@shop/platform/messaging';
import type { Envelope, OrderAwaitingPaymentV1 } from '@shop/shared/contracts';
import { AuthorizePaymentHandler } from './authorize-payment.handler';

@Controller()
export class AuthorizePaymentEventController {
  constructor(private readonly handler: AuthorizePaymentHandler) {}

  /** Isolated: it calls the provider, and holds no transaction while it waits for the answer. */
  @EventPattern('order.awaiting-payment', { isolated: true })
  handle(@Payload() event: Envelope<OrderAwaitingPaymentV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.handler.execute(event, ctx);
  }
}
