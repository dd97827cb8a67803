import { Injectable } from '@nestjs/common';
import { CatalogQueries } from '@shop/catalog/data-access';
import { CatalogError, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { ProductView, UpdateProductRequest } from '@shop/shared/contracts';
import { CatalogEventOptions, toOutboundEvents, toProductView } from '../../catalog.mapper';

@Injectable()
export class UpdateProductHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly queries: CatalogQueries,
    private readonly options: CatalogEventOptions,
  ) {}

  async execute(id: string, changes: UpdateProductRequest): Promise<ProductView> {
    await this.unitOfWork.run(async (tx) => {
      // Locked: a concurrent reservation cannot interleave with this read-modify-write.
      const product = (await this.products.lockMany(tx, [id])).get(id);
      if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
      product.update(changes);
      this.products.save(tx, product);
      tx.publish(...toOutboundEvents(product, product.pullEvents(), this.options));
    });
    const stored = await this.queries.product(id);
    if (!stored) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(stored);
  }
}
