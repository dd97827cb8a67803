import type { DynamicModule } from '@nestjs/common';
import { ReviewRepository } from '@shop/review/domain';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { PgReviewRepository } from './pg-review.repository';
import { ReviewPrismaService } from './review-prisma.service';
import { ReviewQueries } from './review.queries';

export const ReviewDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule =>
    databaseModule(ReviewPrismaService, { ...options, migrations: MIGRATIONS }, [
      { provide: ReviewRepository, useClass: PgReviewRepository },
      ReviewQueries,
    ]),
};
