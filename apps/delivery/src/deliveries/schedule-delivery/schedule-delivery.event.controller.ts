import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderConfirmedV1 } from '@shop/shared/contracts';
import { ScheduleDeliveryHandler } from './schedule-delivery.handler';

@Controller()
export class ScheduleDeliveryEventController {
  constructor(private readonly handler: ScheduleDeliveryHandler) {}

  @EventPattern('order.confirmed')
  async handle(@Payload() event: Envelope<OrderConfirmedV1>, @Ctx() ctx: EventContext): Promise<void> {
    await this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
