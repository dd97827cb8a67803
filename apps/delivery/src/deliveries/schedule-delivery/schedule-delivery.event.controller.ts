import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderConfirmedV1 } from '@shop/shared/contracts';
import { toConsumerError } from '../delivery-event-error.mapper';
import { ScheduleDeliveryHandler } from './schedule-delivery.handler';

@Controller()
export class ScheduleDeliveryEventController {
  constructor(private readonly handler: ScheduleDeliveryHandler) {}

  @EventPattern('order.confirmed')
  handle(@Payload() event: Envelope<OrderConfirmedV1>): Promise<void> {
    return this.handler.execute(event).catch((err) => Promise.reject(toConsumerError(err)));
  }
}
