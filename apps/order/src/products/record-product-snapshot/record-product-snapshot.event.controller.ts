import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ProductSnapshotRepository } from '@shop/order/domain';
import type { EventContext, UnitTx } from '@shop/platform/messaging';
import type { Envelope, ProductUpsertedV1 } from '@shop/shared/contracts';

/**
 * The order service's own copy of the products it sells (CQRS read model):
 * placing an order reads it, so ordering works while the catalog is down. A
 * version older than the stored one (a replay) changes nothing.
 */
@Controller()
export class RecordProductSnapshotEventController {
  constructor(private readonly snapshots: ProductSnapshotRepository<UnitTx>) {}

  @EventPattern('catalog.product-upserted')
  handle(@Payload() event: Envelope<ProductUpsertedV1>, @Ctx() ctx: EventContext): void {
    const { productId, sku, name, priceCents, currency, productVersion } = event.data;
    this.snapshots.upsert(ctx.tx as UnitTx, { productId, sku, name, priceCents, currency, productVersion });
  }
}
