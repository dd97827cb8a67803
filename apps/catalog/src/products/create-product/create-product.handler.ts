import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ProductEntity, ProductRepository } from '@shop/catalog/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { CreateProductRequest, ProductView } from '@shop/shared/contracts';
import { ProductViews } from '../product.views';
import { ProductEvents } from '../product.events';

@Injectable()
export class CreateProductHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository<UnitTx>,
    private readonly views: ProductViews,
    private readonly events: ProductEvents,
  ) {}

  async execute(request: CreateProductRequest): Promise<ProductView> {
    const product = ProductEntity.create({ id: randomUUID(), ...request });
    await this.unitOfWork.run(async (tx) => {
      this.products.add(tx, product);
      tx.publish(...this.events.upserted(product));
    });
    return this.views.get(product.snapshot.id);
  }
}
