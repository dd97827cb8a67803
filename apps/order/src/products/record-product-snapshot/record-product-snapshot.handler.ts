import { Injectable } from '@nestjs/common';
import { ProductSnapshotRepository } from '@shop/order/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { ProductUpsertedV1 } from '@shop/shared/contracts';

/**
 * Keeps the order service's own copy of a product it sells (CQRS read model):
 * placing an order reads it, so ordering works while the catalog is down. Only
 * what an order needs is kept; a version older than the stored one (a replay,
 * or a rebuild that read it before) changes nothing.
 */
@Injectable()
export class RecordProductSnapshotHandler {
  constructor(private readonly snapshots: ProductSnapshotRepository<UnitTx>) {}

  execute(tx: UnitTx, product: ProductUpsertedV1): void {
    const { productId, sku, name, priceCents, currency, productVersion } = product;
    this.snapshots.upsert(tx, { productId, sku, name, priceCents, currency, productVersion });
  }
}
