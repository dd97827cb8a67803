import { Controller, Get, Query } from '@nestjs/common';
import { CatalogPrisma, CatalogPrismaService } from '@shop/catalog/data-access';
import { Public, ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { decodeCursor, encodeCursor, Page, productListQuerySchema, ProductView } from '@shop/shared/contracts';
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
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (!after) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
      where.AND = [{ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }];
    }
    const rows = await this.db.product.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toProductView), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }
}
