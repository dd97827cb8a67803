import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, ProductUpsertedV1 } from '@shop/shared/contracts';
import { RecordProductSnapshotHandler } from './record-product-snapshot.handler';

@Controller()
export class RecordProductSnapshotEventController {
  constructor(private readonly handler: RecordProductSnapshotHandler) {}

  @EventPattern('catalog.product-upserted')
  handle(@Payload() event: Envelope<ProductUpsertedV1>, @Ctx() ctx: EventContext): void {
    this.handler.execute(ctx.tx as UnitTx, event.data);
  }
}
