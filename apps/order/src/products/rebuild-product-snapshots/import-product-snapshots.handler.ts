import { Injectable } from '@nestjs/common';
import { ProductSnapshotRepository } from '@shop/order/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import { importExport } from '@shop/platform/http';
import type { ApiImportResult } from '@shop/shared/contracts';
import { CatalogProductExport } from './catalog-product-export';

/**
 * Imports the product snapshot from the catalog's export, without the broker
 * (the topic lost, a cluster rebuilt): in full, or the products changed since
 * a time. Each page is stored in one unit of work through the same upsert as
 * the event handler, so a version never moves back: an import racing live
 * events leaves each product at its newest version, and a second run changes
 * nothing.
 */
@Injectable()
export class ImportProductSnapshotsHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly snapshots: ProductSnapshotRepository<UnitTx>,
    private readonly catalog: CatalogProductExport,
  ) {}

  execute(from: { since?: string; cursor?: string }): Promise<ApiImportResult> {
    return importExport(this.catalog, from, async (products) => {
      let updated = 0;
      await this.unitOfWork.run(async (tx) => {
        for (const { productId, sku, name, priceCents, currency, productVersion } of products) {
          this.snapshots.upsert(tx, { productId, sku, name, priceCents, currency, productVersion }, (changed) => (updated += changed ? 1 : 0));
        }
      });
      return updated;
    });
  }
}
