import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderConfirmedV1 } from '@shop/shared/contracts';
import { CourierService } from '../../courier/courier.service';
import { ScheduleDeliveryHandler } from './schedule-delivery.handler';

@Controller()
export class ScheduleDeliveryEventController {
  constructor(
    private readonly handler: ScheduleDeliveryHandler,
    private readonly courier: CourierService,
  ) {}

  @EventPattern('order.confirmed')
  async handle(@Payload() event: Envelope<OrderConfirmedV1>, @Ctx() ctx: EventContext): Promise<void> {
    const tx = ctx.tx as UnitTx;
    // With a dispatch delay of 0 the courier takes it at once, once the batch has committed and it can see it.
    if (await this.handler.execute(tx, event.data)) tx.afterCommit(() => this.courier.wake());
  }
}
