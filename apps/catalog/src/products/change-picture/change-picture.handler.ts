import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CatalogQueries } from '@shop/catalog/data-access';
import { CatalogError, checkPicture, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { ProductView } from '@shop/shared/contracts';
import { CatalogEventOptions, toOutboundEvents, toProductView } from '../../catalog.mapper';

/**
 * An admin's picture for a product: checked first (type by its bytes, size), then stored with the product's new
 * picture etag and its events in one unit, so a refused upload stores nothing and an accepted one is announced.
 */
@Injectable()
export class ChangePictureHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly queries: CatalogQueries,
    private readonly options: CatalogEventOptions,
  ) {}

  async execute(id: string, data: Buffer, declaredType: string | undefined): Promise<ProductView> {
    const contentType = checkPicture(data, declaredType);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await this.unitOfWork.run(async (tx) => {
      const product = (await this.products.lockMany(tx, [id])).get(id);
      if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
      product.changePicture(sha256);
      const events = product.pullEvents();
      if (events.length === 0) return; // the same picture again: nothing changed
      this.products.save(tx, product);
      this.products.savePicture(tx, { productId: id, contentType, data, sha256 });
      tx.publish(...toOutboundEvents(product, events, this.options));
    });
    const stored = await this.queries.product(id);
    if (!stored) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(stored);
  }
}
