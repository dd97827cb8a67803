import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ReviewDataAccessModule } from '@shop/review/data-access';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import type { ReviewConfig } from './config/review.config';
import { GrantReviewsEventController } from './grants/grant-reviews/grant-reviews.event.controller';
import { GrantReviewsHandler } from './grants/grant-reviews/grant-reviews.handler';
import { CreateReviewHandler } from './reviews/create-review/create-review.handler';
import { CreateReviewHttpController } from './reviews/create-review/create-review.http.controller';
import { ExportReviewsHttpController } from './reviews/export-reviews/export-reviews.http.controller';
import { ListReviewsHttpController } from './reviews/list-reviews/list-reviews.http.controller';

@Module({})
export class AppModule {
  static forRoot(config: ReviewConfig, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReviewDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({ service: 'review', config, registry }),
      ],
      controllers: [CreateReviewHttpController, ListReviewsHttpController, ExportReviewsHttpController, GrantReviewsEventController],
      providers: [CreateReviewHandler, GrantReviewsHandler],
    };
  }
}
