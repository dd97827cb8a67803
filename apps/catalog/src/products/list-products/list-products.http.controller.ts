import { Controller, Get, Query } from '@nestjs/common';
import { CatalogPrisma, CatalogPrismaService } from '@shop/catalog/data-access';
import { afterPosition } from '@shop/platform/database';
import { cursorPosition, keysetPage, Public, ZodValidationPipe } from '@shop/platform/http';
import { Page, productListQuerySchema, ProductView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { toProductView } from '../product.mapper';

/** Newest first, keyset-paginated, optional case-insensitive search on name and sku. */
@Public()
@Controller('api/products')
export class ListProductsHttpController {
  constructor(private readonly db: CatalogPrismaService) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(productListQuerySchema, 'query')) query: z.infer<typeof productListQuerySchema>,
  ): Promise<Page<ProductView>> {
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
