import { Injectable } from '@nestjs/common';
import type { StoredReview } from '@shop/review/domain';
import { afterPosition } from '@shop/platform/database';
import { decodeChangeCursor, encodeChangeCursor, ExportQuery, ReviewExportPage } from '@shop/shared/contracts';
import type { Prisma } from './generated/prisma/client';
import { ReviewPrismaService } from './review-prisma.service';

/** The review views and the export the read routes serve (Prisma: these are not the event path). */
@Injectable()
export class ReviewQueries {
  constructor(private readonly db: ReviewPrismaService) {}

  /** A product's reviews, newest first, keyset-paginated by (createdAt, id). */
  async listForProduct(productId: string, page: { limit: number; after?: { createdAt: Date; id: string } }): Promise<StoredReview[]> {
    const where: Prisma.ReviewWhereInput = { productId, ...(page.after ? afterPosition(page.after) : {}) };
    const rows = await this.db.review.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit,
      select: { id: true, productId: true, orderId: true, customerId: true, rating: true, comment: true, createdAt: true },
    });
    return rows;
  }

  /**
   * Full and changed-since export of the reviews (the fields of `review.created`). Pages follow the reviews'
   * change sequence, which grows in commit order (see the migration), so a review written during an export is
   * neither missed nor sent twice.
   */
  async exportChanges(query: ExportQuery): Promise<ReviewExportPage> {
    const after = query.cursor ? decodeChangeCursor(query.cursor) : null;
    const where: Prisma.ReviewWhereInput = {};
    if (after !== null) where.changeSeq = { gt: after };
    if (query.updatedSince) where.changedAt = { gte: new Date(query.updatedSince) };
    const rows = await this.db.review.findMany({
      where,
      orderBy: { changeSeq: 'asc' },
      take: query.limit + 1,
      select: { id: true, productId: true, orderId: true, customerId: true, rating: true, changeSeq: true, changedAt: true },
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        reviewId: r.id,
        productId: r.productId,
        orderId: r.orderId,
        customerId: r.customerId,
        rating: r.rating,
        changedAt: r.changedAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.changeSeq) : null,
    };
  }
}
