import { Injectable } from '@nestjs/common';
import { ProductSnapshotRepository } from '@shop/order/domain';
import { EventHistory, UnitOfWork, UnitTx } from '@shop/platform/messaging';

/**
 * Rebuilds the product snapshot from the catalog topic, from its beginning,
 * while orders keep being placed: each product ends at its newest version
 * (older versions never overwrite newer ones, whoever applies them).
 */
@Injectable()
export class RebuildProductSnapshotsHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly snapshots: ProductSnapshotRepository<UnitTx>,
    private readonly catalog: EventHistory<'catalog.product-upserted'>,
  ) {}

  /** `events` read from the catalog topic, `updated` snapshot rows that were missing or older. */
  async execute(): Promise<{ events: number; updated: number }> {
    let updated = 0;
    const events = await this.catalog.read((products) =>
      this.unitOfWork.run(async (tx) => {
        for (const { productId, sku, name, priceCents, currency, productVersion } of products) {
          this.snapshots.upsert(tx, { productId, sku, name, priceCents, currency, productVersion }, (changed) => (updated += changed ? 1 : 0));
        }
      }),
    );
    return { events, updated };
  }
}
