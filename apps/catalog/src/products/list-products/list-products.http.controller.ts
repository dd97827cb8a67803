import { Controller, Get, Query } from '@nestjs/common';
import { Public, ZodValidationPipe } from '@shop/platform/http';
import { Page, productListQuerySchema, ProductView } from '@shop/shared/contracts';
import type { z } from 'zod';
import { ProductViews } from '../product.views';

/** Newest first, keyset-paginated, optional case-insensitive search on name and sku. */
@Public()
@Controller('api/products')
export class ListProductsHttpController {
  constructor(private readonly views: ProductViews) {}

  @Get()
  list(@Query(new ZodValidationPipe(productListQuerySchema, 'query')) query: z.infer<typeof productListQuerySchema>): Promise<Page<ProductView>> {
    return this.views.list(query);
  }
}
