import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { toConsumerError } from '../delivery-event-error.mapper';
import { CancelDeliveryHandler } from './cancel-delivery.handler';

@Controller()
export class CancelDeliveryEventController {
  constructor(private readonly handler: CancelDeliveryHandler) {}

  @EventPattern('order.cancelled')
  handle(@Payload() event: Envelope<OrderCancelledV1>): Promise<void> {
    return this.handler.execute(event).catch((err) => Promise.reject(toConsumerError(err)));
  }
}
