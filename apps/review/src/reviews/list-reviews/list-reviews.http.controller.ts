import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReviewPrisma, ReviewPrismaService } from '@shop/review/data-access';
import { ProblemException, Public, UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { decodeCursor, encodeCursor, Page, PageQuery, pageQuerySchema, ReviewView } from '@shop/shared/contracts';
import { toReviewView } from '../review.mapper';

/** A product's reviews, newest first, keyset-paginated on (created_at, id). */
@Public()
@Controller('api/products/:id/reviews')
export class ListReviewsHttpController {
  constructor(private readonly db: ReviewPrismaService) {}

  @Get()
  async list(
    @Param('id', new UuidParamPipe('product')) productId: string,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery,
  ): Promise<Page<ReviewView>> {
    const where: ReviewPrisma.ReviewWhereInput = { productId };
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (!after) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
      where.OR = [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }];
    }
    const rows = await this.db.review.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toReviewView), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }
}
