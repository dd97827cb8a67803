import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, OrderPlacedV1 } from '@shop/shared/contracts';
import { ReserveStockHandler } from './reserve-stock.handler';

@Controller()
export class ReserveStockEventController {
  constructor(private readonly handler: ReserveStockHandler) {}

  @EventPattern('order.placed', { locks: [PRODUCT_ROWS] })
  handle(@Payload() event: Envelope<OrderPlacedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
