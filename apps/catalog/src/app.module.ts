import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { CatalogDataAccessModule } from '@shop/catalog/data-access';
import { serviceTokenSigner } from '@shop/platform/auth';
import { eventHistory } from '@shop/platform/messaging-nest';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import { reviewExportPageSchema } from '@shop/shared/contracts';
import { CatalogEventOptions } from './catalog.mapper';
import type { CatalogConfig } from './config/catalog.config';
import { ChangePictureHandler } from './products/change-picture/change-picture.handler';
import { ChangePictureHttpController } from './products/change-picture/change-picture.http.controller';
import { GetPictureHttpController } from './products/get-picture/get-picture.http.controller';
import { ListCategoriesHttpController } from './products/list-categories/list-categories.http.controller';
import { CreateProductHandler } from './products/create-product/create-product.handler';
import { CreateProductHttpController } from './products/create-product/create-product.http.controller';
import { ExportProductsHttpController } from './products/export-products/export-products.http.controller';
import { GetProductHttpController } from './products/get-product/get-product.http.controller';
import { ListProductsHttpController } from './products/list-products/list-products.http.controller';
import { UpdateProductHandler } from './products/update-product/update-product.handler';
import { UpdateProductHttpController } from './products/update-product/update-product.http.controller';
import { ImportRatingsHandler } from './ratings/rebuild-ratings/import-ratings.handler';
import { ReviewExport } from './ratings/rebuild-ratings/review-export';
import { RebuildRatingsHandler } from './ratings/rebuild-ratings/rebuild-ratings.handler';
import { RebuildRatingsHttpController } from './ratings/rebuild-ratings/rebuild-ratings.http.controller';
import { RecordRatingEventController } from './ratings/record-rating/record-rating.event.controller';
import { RecordRatingHandler } from './ratings/record-rating/record-rating.handler';
import { ReleaseStockEventController } from './stock/release-stock/release-stock.event.controller';
import { ReleaseStockHandler } from './stock/release-stock/release-stock.handler';
import { ReserveStockEventController } from './stock/reserve-stock/reserve-stock.event.controller';
import { ReserveStockHandler } from './stock/reserve-stock/reserve-stock.handler';

@Module({})
export class AppModule {
  static forRoot(config: CatalogConfig, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CatalogDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({ service: 'catalog', config, registry }),
      ],
      controllers: [
        CreateProductHttpController,
        UpdateProductHttpController,
        ListProductsHttpController,
        GetProductHttpController,
        ChangePictureHttpController,
        GetPictureHttpController,
        ListCategoriesHttpController,
        ExportProductsHttpController,
        ReserveStockEventController,
        ReleaseStockEventController,
        RecordRatingEventController,
        RebuildRatingsHttpController,
      ],
      providers: [
        CreateProductHandler,
        UpdateProductHandler,
        ChangePictureHandler,
        { provide: CatalogEventOptions, useFactory: () => new CatalogEventOptions(config.PRODUCT_UPSERTED_V1 === 'publish') },
        ReserveStockHandler,
        ReleaseStockHandler,
        RebuildRatingsHandler,
        eventHistory('review.created'),
        RecordRatingHandler,
        ImportRatingsHandler,
        {
          provide: ReviewExport,
          useFactory: () =>
            new ReviewExport({
              owner: 'review',
              baseUrl: config.REVIEW_URL,
              path: '/api/exports/reviews',
              schema: reviewExportPageSchema,
              token: serviceTokenSigner('catalog', { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
            }),
        },
      ],
    };
  }
}
