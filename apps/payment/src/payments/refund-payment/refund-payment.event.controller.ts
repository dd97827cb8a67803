import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { RefundPaymentHandler } from './refund-payment.handler';

@Controller()
export class RefundPaymentEventController {
  constructor(private readonly handler: RefundPaymentHandler) {}

  @EventPattern('order.cancelled')
  handle(@Payload() event: Envelope<OrderCancelledV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
