import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderPlacedV1 } from '@shop/shared/contracts';
import { ReserveStockHandler } from './reserve-stock.handler';

@Controller()
export class ReserveStockEventController {
  constructor(private readonly handler: ReserveStockHandler) {}

  @EventPattern('order.placed')
  handle(@Payload() event: Envelope<OrderPlacedV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
