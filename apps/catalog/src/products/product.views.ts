import { Injectable } from '@nestjs/common';
import { CatalogPrisma, CatalogPrismaService } from '@shop/catalog/data-access';
import { CatalogError } from '@shop/catalog/domain';
import { afterPosition } from '@shop/platform/database';
import { cursorPosition, keysetPage } from '@shop/platform/http';
import type { Page, ProductView } from '@shop/shared/contracts';
import { toProductView } from './product.mapper';

/** The product views the read routes serve, from the catalog's own tables (Prisma: not the event path). */
@Injectable()
export class ProductViews {
  constructor(private readonly db: CatalogPrismaService) {}

  async get(id: string): Promise<ProductView> {
    const product = await this.db.product.findUnique({ where: { id } });
    if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(product);
  }

  /** Newest first, keyset-paginated, optional case-insensitive search on name and sku. */
  async list(query: { q?: string; limit: number; cursor?: string }): Promise<Page<ProductView>> {
    const where: CatalogPrisma.ProductWhereInput = {};
    if (query.q?.trim()) {
      where.OR = [
        { name: { contains: query.q.trim(), mode: 'insensitive' } },
        { sku: { contains: query.q.trim(), mode: 'insensitive' } },
      ];
    }
    const after = cursorPosition(query.cursor);
    if (after) where.AND = [afterPosition(after)];
    const rows = await this.db.product.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    return keysetPage(rows, query.limit, toProductView);
  }
}
