import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { ProductEntity } from '@shop/catalog/domain';
import { Outbox } from '@shop/platform/messaging';
import { ProblemException } from '@shop/platform/http';
import type { CreateProductRequest, ProductView } from '@shop/shared/contracts';
import { productUpserted, toProductView } from '../product.mapper';

@Injectable()
export class CreateProductHandler {
  constructor(
    private readonly db: CatalogPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(request: CreateProductRequest): Promise<ProductView> {
    const product = ProductEntity.create({ id: randomUUID(), ...request });
    const p = product.snapshot;
    try {
      const record = await this.db.$transaction(async (tx) => {
        const created = await tx.product.create({
          data: { id: p.id, sku: p.sku, name: p.name, description: p.description, priceCents: p.priceCents, currency: p.currency, stock: p.stock, version: p.version },
        });
        await this.outbox.append(tx, [productUpserted(product)]);
        return created;
      });
      return toProductView(record);
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new ProblemException(409, `a product with sku ${p.sku} already exists`);
      throw err;
    }
  }
}
