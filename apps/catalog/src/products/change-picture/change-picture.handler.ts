import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CatalogError, checkPicture, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { ProductView } from '@shop/shared/contracts';
import { ProductEvents } from '../product.events';
import { ProductViews } from '../product.views';

/**
 * An admin's picture for a product: checked first (type by its bytes, size), then stored with the product's new
 * picture etag and its events in one unit, so a refused upload stores nothing and an accepted one is announced.
 */
@Injectable()
export class ChangePictureHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly views: ProductViews,
    private readonly events: ProductEvents,
  ) {}

  async execute(id: string, data: Buffer, declaredType: string | undefined): Promise<ProductView> {
    const contentType = checkPicture(data, declaredType);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await this.unitOfWork.run(async (tx) => {
      const product = (await this.products.lockMany(tx, [id])).get(id);
      if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
      if (product.snapshot.pictureEtag === sha256) return; // the same picture again: nothing changes
      product.changePicture(sha256);
      this.products.save(tx, product);
      this.products.savePicture(tx, { productId: id, contentType, data, sha256 });
      tx.publish(...this.events.upserted(product));
    });
    return this.views.get(id);
  }
}
