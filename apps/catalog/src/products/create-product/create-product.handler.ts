import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CatalogQueries } from '@shop/catalog/data-access';
import { CatalogError, ProductEntity, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { CreateProductRequest, ProductView } from '@shop/shared/contracts';
import { CatalogEventOptions, toOutboundEvents, toProductView } from '../../catalog.mapper';

@Injectable()
export class CreateProductHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly queries: CatalogQueries,
    private readonly options: CatalogEventOptions,
  ) {}

  async execute(request: CreateProductRequest): Promise<ProductView> {
    const product = ProductEntity.create({ id: randomUUID(), ...request });
    const { id } = product.snapshot;
    await this.unitOfWork.run(async (tx) => {
      this.products.add(tx, product);
      tx.publish(...toOutboundEvents(product, product.pullEvents(), this.options));
    });
    const stored = await this.queries.product(id);
    if (!stored) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(stored);
  }
}
