import { Controller, Get } from '@nestjs/common';
import { CatalogQueries } from '@shop/catalog/data-access';
import { Public } from '@shop/platform/http';
import type { CategoryView } from '@shop/shared/contracts';
import { toCategoryView } from '../../catalog.mapper';

/** The categories the storefront browses by: every one in use, with its product count. */
@Public()
@Controller('api/categories')
export class ListCategoriesHttpController {
  constructor(private readonly queries: CatalogQueries) {}

  @Get()
  async list(): Promise<{ items: CategoryView[] }> {
    return { items: (await this.queries.categories()).map(toCategoryView) };
  }
}
