import { Injectable } from '@nestjs/common';
import { CatalogError, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { ProductView, UpdateProductRequest } from '@shop/shared/contracts';
import { ProductViews } from '../product.views';
import { ProductEvents } from '../product.events';

@Injectable()
export class UpdateProductHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly views: ProductViews,
    private readonly events: ProductEvents,
  ) {}

  async execute(id: string, changes: UpdateProductRequest): Promise<ProductView> {
    await this.unitOfWork.run(async (tx) => {
      // Locked: a concurrent reservation cannot interleave with this read-modify-write.
      const product = (await this.products.lockMany(tx, [id])).get(id);
      if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
      product.update(changes);
      this.products.save(tx, product);
      tx.publish(...this.events.upserted(product));
    });
    return this.views.get(id);
  }
}
