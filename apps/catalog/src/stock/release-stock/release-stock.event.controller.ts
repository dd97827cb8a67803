import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { ReleaseStockHandler } from './release-stock.handler';

@Controller()
export class ReleaseStockEventController {
  constructor(private readonly handler: ReleaseStockHandler) {}

  @EventPattern('order.cancelled', { locks: [PRODUCT_ROWS] })
  handle(@Payload() event: Envelope<OrderCancelledV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
