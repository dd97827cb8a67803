import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { ExportQuery, exportQuerySchema, ProductExportPage } from '@shop/shared/contracts';
import { ProductViews } from '../product.views';

/**
 * Full and changed-since export of the products, for the order service's
 * snapshot import without the broker. Admin and service tokens only; served
 * by the catalog itself, not through the gateway.
 */
@Roles('admin', 'service')
@Controller('api/exports/products')
export class ExportProductsHttpController {
  constructor(private readonly views: ProductViews) {}

  @Get()
  export(@Query(new ZodValidationPipe(exportQuerySchema, 'query')) query: ExportQuery): Promise<ProductExportPage> {
    return this.views.exportChanges(query);
  }
}
