import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { ReleaseStockHandler } from './release-stock.handler';

@Controller()
export class ReleaseStockEventController {
  constructor(private readonly handler: ReleaseStockHandler) {}

  @EventPattern('order.cancelled')
  handle(@Payload() event: Envelope<OrderCancelledV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
