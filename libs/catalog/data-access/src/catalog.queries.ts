import { Injectable } from '@nestjs/common';
import type { PictureContentType, ProductPicture } from '@shop/catalog/domain';
import { CatalogPrismaService } from './catalog-prisma.service';
import type { Prisma } from './generated/prisma/client';
import type { CategoryCount, ProductChange, ProductReadModel } from './catalog.read-models';
import { ProductListRow, ProductSearch, productSearchSql } from './product-search';

const READ_MODEL = {
  id: true,
  sku: true,
  name: true,
  description: true,
  priceCents: true,
  currency: true,
  stock: true,
  version: true,
  category: true,
  pictureEtag: true,
  ratingCount: true,
  ratingSum: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ProductSelect;

const CHANGE = {
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
} as const satisfies Prisma.ProductSelect;

/**
 * Every read the catalog's routes serve, from its own tables (Prisma: these are not the event path). Absent
 * things are null; the caller decides what that means (a NOT_FOUND for the route).
 */
@Injectable()
export class CatalogQueries {
  constructor(private readonly db: CatalogPrismaService) {}

  product(id: string): Promise<ProductReadModel | null> {
    return this.db.product.findUnique({ where: { id }, select: READ_MODEL });
  }

  /** One page of the list or of a search (productSearchSql), and one row more when there is a next page. */
  search(search: ProductSearch): Promise<ProductListRow[]> {
    const { text, values } = productSearchSql(search);
    return this.db.$queryRawUnsafe<ProductListRow[]>(text, ...values);
  }

  /** Every category in use, by name, with its product count. */
  async categories(): Promise<CategoryCount[]> {
    const groups = await this.db.product.groupBy({ by: ['category'], where: { category: { not: null } }, _count: { _all: true }, orderBy: { category: 'asc' } });
    return groups.map((g) => ({ name: g.category ?? '', productCount: g._count._all }));
  }

  /** A product's picture; null when the product or its picture does not exist. */
  async picture(productId: string): Promise<ProductPicture | null> {
    const picture = await this.db.productPicture.findUnique({ where: { productId } });
    if (!picture) return null;
    return { productId, contentType: picture.contentType as PictureContentType, data: Buffer.from(picture.data), sha256: picture.sha256 };
  }

  /**
   * The products changed after `afterSeq` in the change sequence (commit order, see the migration), at or
   * after `changedSince` if given, in that order: `limit` rows and one more when there is a next page.
   */
  changes(query: { afterSeq: bigint | null; changedSince?: Date; limit: number }): Promise<ProductChange[]> {
    const where: Prisma.ProductWhereInput = {};
    if (query.afterSeq !== null) where.changeSeq = { gt: query.afterSeq };
    if (query.changedSince) where.changedAt = { gte: query.changedSince };
    return this.db.product.findMany({ where, orderBy: { changeSeq: 'asc' }, take: query.limit + 1, select: CHANGE });
  }
}
