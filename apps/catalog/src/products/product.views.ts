import { Injectable } from '@nestjs/common';
import { CatalogPrisma, CatalogPrismaService, ProductListRow, productSearchSql } from '@shop/catalog/data-access';
import { CatalogError, PictureContentType } from '@shop/catalog/domain';
import { cursorPosition, keysetPage, ProblemException } from '@shop/platform/http';
import {
  CategoryView,
  decodeChangeCursor,
  decodeRankedCursor,
  encodeChangeCursor,
  encodeRankedCursor,
  ExportQuery,
  Page,
  ProductExportPage,
  ProductListQuery,
  ProductView,
} from '@shop/shared/contracts';
import { pictureOf, toProductView } from './product.mapper';

/** The product views the read routes serve, from the catalog's own tables (Prisma: not the event path). */
@Injectable()
export class ProductViews {
  constructor(private readonly db: CatalogPrismaService) {}

  async get(id: string): Promise<ProductView> {
    const product = await this.db.product.findUnique({ where: { id } });
    if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(product);
  }

  /**
   * Newest first, or with `q` a full-text search ranked by relevance (then newest first); filtered by category
   * and price range; keyset-paginated either way (a search's cursor carries the rank too).
   */
  async list(query: ProductListQuery): Promise<Page<ProductView>> {
    const q = query.q?.trim() || undefined;
    const after = query.cursor ? (q ? rankedPosition(query.cursor) : cursorPosition(query.cursor)) : undefined;
    const { text, values } = productSearchSql({ ...query, q, after });
    const rows = await this.db.$queryRawUnsafe<ProductListRow[]>(text, ...values);
    if (!q) return keysetPage(rows, query.limit, toProductView);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toProductView),
      nextCursor: rows.length > query.limit && last ? encodeRankedCursor(last.rank ?? 0, last.createdAt, last.id) : null,
    };
  }

  /** Every category in use, by name, with its product count. */
  async categories(): Promise<CategoryView[]> {
    const groups = await this.db.product.groupBy({ by: ['category'], where: { category: { not: null } }, _count: { _all: true }, orderBy: { category: 'asc' } });
    return groups.map((g) => ({ name: g.category ?? '', productCount: g._count._all }));
  }

  /** A product's picture; NOT_FOUND when the product or its picture does not exist. */
  async picture(id: string): Promise<{ contentType: PictureContentType; data: Buffer; sha256: string }> {
    const picture = await this.db.productPicture.findUnique({ where: { productId: id } });
    if (!picture) throw new CatalogError('NOT_FOUND', `product ${id} has no picture`);
    return { contentType: picture.contentType as PictureContentType, data: Buffer.from(picture.data), sha256: picture.sha256 };
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
      select: {
        id: true,
        sku: true,
        name: true,
        description: true,
        priceCents: true,
        currency: true,
        version: true,
        category: true,
        pictureEtag: true,
        changeSeq: true,
        changedAt: true,
      },
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
        category: p.category,
        picture: ((picture) => picture && { path: picture.url, etag: picture.etag })(pictureOf(p.id, p.pictureEtag)),
        changedAt: p.changedAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.changeSeq) : null,
    };
  }
}

/** The position in a search's `?cursor=`; a cursor this API did not hand out for a search is a 400. */
function rankedPosition(cursor: string): { rank: number; createdAt: Date; id: string } {
  const position = decodeRankedCursor(cursor);
  if (!position) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a search cursor from this API' }] });
  return position;
}
