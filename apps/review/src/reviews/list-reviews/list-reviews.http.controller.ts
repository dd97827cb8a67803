import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReviewQueries } from '@shop/review/data-access';
import { cursorPosition, keysetPage, Public, UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { Page, PageQuery, pageQuerySchema, ReviewView } from '@shop/shared/contracts';
import { toReviewView } from '../review.mapper';

/** A product's reviews, newest first, keyset-paginated on (created_at, id). */
@Public()
@Controller('api/products/:id/reviews')
export class ListReviewsHttpController {
  constructor(private readonly reviews: ReviewQueries) {}

  @Get()
  async list(
    @Param('id', new UuidParamPipe('product')) productId: string,
    @Query(new ZodValidationPipe(pageQuerySchema, 'query')) query: PageQuery,
  ): Promise<Page<ReviewView>> {
    const rows = await this.reviews.listForProduct(productId, { limit: query.limit + 1, after: cursorPosition(query.cursor) });
    return keysetPage(rows, query.limit, toReviewView);
  }
}
