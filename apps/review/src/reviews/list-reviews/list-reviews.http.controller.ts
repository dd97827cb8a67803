import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReviewPrisma, ReviewPrismaService } from '@shop/review/data-access';
import { afterPosition } from '@shop/platform/database';
import { cursorPosition, keysetPage, Public, UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { Page, PageQuery, pageQuerySchema, ReviewView } from '@shop/shared/contracts';
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
    const after = cursorPosition(query.cursor);
    const where: ReviewPrisma.ReviewWhereInput = { productId, ...(after ? afterPosition(after) : {}) };
    const rows = await this.db.review.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    return keysetPage(rows, query.limit, toReviewView);
  }
}
