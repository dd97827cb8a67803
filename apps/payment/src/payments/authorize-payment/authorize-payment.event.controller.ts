import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderAwaitingPaymentV1 } from '@shop/shared/contracts';
import { AuthorizePaymentHandler } from './authorize-payment.handler';

@Controller()
export class AuthorizePaymentEventController {
  constructor(private readonly handler: AuthorizePaymentHandler) {}

  @EventPattern('order.awaiting-payment')
  handle(@Payload() event: Envelope<OrderAwaitingPaymentV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
