import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderCancelRequestedV1 } from '@shop/shared/contracts';
import { CancelDeliveryHandler } from './cancel-delivery.handler';

@Controller()
export class CancelDeliveryEventController {
  constructor(private readonly handler: CancelDeliveryHandler) {}

  @EventPattern('order.cancel-requested')
  handle(@Payload() event: Envelope<OrderCancelRequestedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
