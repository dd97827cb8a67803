import { Controller, Get } from '@nestjs/common';
import { Public } from '@shop/platform/http';
import type { CategoryView } from '@shop/shared/contracts';
import { ProductViews } from '../product.views';

/** The categories the storefront browses by: every one in use, with its product count. */
@Public()
@Controller('api/categories')
export class ListCategoriesHttpController {
  constructor(private readonly views: ProductViews) {}

  @Get()
  list(): Promise<{ items: CategoryView[] }> {
    return this.views.categories().then((items) => ({ items }));
  }
}
