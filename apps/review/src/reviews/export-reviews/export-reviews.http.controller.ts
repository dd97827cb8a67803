import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { ReviewQueries } from '@shop/review/data-access';
import { ExportQuery, exportQuerySchema, ReviewExportPage } from '@shop/shared/contracts';

/**
 * Full and changed-since export of the reviews, for the catalog's rating
 * import without the broker (ReviewQueries.exportChanges). Admin and service
 * tokens only; served by the review service itself, not the gateway.
 */
@Roles('admin', 'service')
@Controller('api/exports/reviews')
export class ExportReviewsHttpController {
  constructor(private readonly reviews: ReviewQueries) {}

  @Get()
  export(@Query(new ZodValidationPipe(exportQuerySchema, 'query')) query: ExportQuery): Promise<ReviewExportPage> {
    return this.reviews.exportChanges(query);
  }
}
