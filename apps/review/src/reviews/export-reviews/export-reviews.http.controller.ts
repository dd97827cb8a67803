import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { ReviewPrisma, ReviewPrismaService } from '@shop/review/data-access';
import { decodeChangeCursor, encodeChangeCursor, ExportQuery, exportQuerySchema, ReviewExportPage } from '@shop/shared/contracts';

/**
 * Full and changed-since export of the reviews (the fields of `review.created`),
 * for the catalog's rating import without the broker. Pages follow the reviews'
 * change sequence, which grows in commit order (see the migration), so a
 * review written during an export is neither missed nor sent twice. Admin and
 * service tokens only; served by the review service itself, not the gateway.
 */
@Roles('admin', 'service')
@Controller('api/exports/reviews')
export class ExportReviewsHttpController {
  constructor(private readonly db: ReviewPrismaService) {}

  @Get()
  async export(@Query(new ZodValidationPipe(exportQuerySchema, 'query')) query: ExportQuery): Promise<ReviewExportPage> {
    const after = query.cursor ? decodeChangeCursor(query.cursor) : null;
    const where: ReviewPrisma.ReviewWhereInput = {};
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
