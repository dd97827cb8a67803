import { Controller, Get, Param } from '@nestjs/common';
import { CatalogQueries } from '@shop/catalog/data-access';
import { CatalogError } from '@shop/catalog/domain';
import { Public, UuidParamPipe } from '@shop/platform/http';
import type { ProductView } from '@shop/shared/contracts';
import { toProductView } from '../../catalog.mapper';

@Public()
@Controller('api/products')
export class GetProductHttpController {
  constructor(private readonly queries: CatalogQueries) {}

  @Get(':id')
  async get(@Param('id', new UuidParamPipe('product')) id: string): Promise<ProductView> {
    const product = await this.queries.product(id);
    if (!product) throw new CatalogError('NOT_FOUND', `no product with id ${id}`);
    return toProductView(product);
  }
}
