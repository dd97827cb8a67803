import { Injectable } from '@nestjs/common';
import { CatalogPrisma, CatalogPrismaService } from '@shop/catalog/data-access';
import { CatalogError } from '@shop/catalog/domain';
import { afterPosition } from '@shop/platform/database';
import { cursorPosition, keysetPage } from '@shop/platform/http';
import { decodeChangeCursor, encodeChangeCursor, ExportQuery, Page, ProductExportPage, ProductView } from '@shop/shared/contracts';
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

  /**
   * The export the order service imports its snapshot from: the fields of
   * `catalog.product-upserted` with their version, in change-sequence order
   * (commit order, see the migration), changed at or after `updatedSince` if
   * given. A product changed during an export comes again, later, at its new
   * version; nothing committed behind the cursor can appear there afterwards.
   */
  async exportChanges(query: ExportQuery): Promise<ProductExportPage> {
    const after = query.cursor ? decodeChangeCursor(query.cursor) : null;
    const where: CatalogPrisma.ProductWhereInput = {};
    if (after !== null) where.changeSeq = { gt: after };
    if (query.updatedSince) where.changedAt = { gte: new Date(query.updatedSince) };
    const rows = await this.db.product.findMany({
      where,
      orderBy: { changeSeq: 'asc' },
      take: query.limit + 1,
      select: { id: true, sku: true, name: true, description: true, priceCents: true, currency: true, version: true, changeSeq: true, changedAt: true },
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((p) => ({
        productId: p.id,
        sku: p.sku,
        name: p.name,
        description: p.description,
        priceCents: p.priceCents,
        currency: p.currency,
        productVersion: p.version,
        changedAt: p.changedAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.changeSeq) : null,
    };
  }
}
