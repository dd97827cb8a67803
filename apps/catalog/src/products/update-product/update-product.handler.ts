import { Injectable } from '@nestjs/common';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { Outbox } from '@shop/platform/messaging';
import { ProblemException } from '@shop/platform/http';
import type { ProductView, UpdateProductRequest } from '@shop/shared/contracts';
import { productUpserted, toEntity, toProductView } from '../product.mapper';

@Injectable()
export class UpdateProductHandler {
  constructor(
    private readonly db: CatalogPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(id: string, changes: UpdateProductRequest): Promise<ProductView> {
    const record = await this.db.$transaction(async (tx) => {
      // Row lock: a concurrent reservation cannot interleave with this read-modify-write.
      const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>('select id from products where id = $1::uuid for update', id);
      if (rows.length === 0) throw new ProblemException(404, `no product with id ${id}`);
      const product = toEntity(await tx.product.findUniqueOrThrow({ where: { id } }));
      product.update(changes);
      const p = product.snapshot;
      const updated = await tx.product.update({
        where: { id },
        data: { name: p.name, description: p.description, priceCents: p.priceCents, stock: p.stock, version: p.version },
      });
      await this.outbox.append(tx, [productUpserted(product)]);
      return updated;
    });
    return toProductView(record);
  }
}
