import { Controller, Get, Param } from '@nestjs/common';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { ProblemException, Public, UuidParamPipe } from '@shop/platform/http';
import type { ProductView } from '@shop/shared/contracts';
import { toProductView } from '../product.mapper';

@Public()
@Controller('api/products')
export class GetProductHttpController {
  constructor(private readonly db: CatalogPrismaService) {}

  @Get(':id')
  async get(@Param('id', new UuidParamPipe('product')) id: string): Promise<ProductView> {
    const product = await this.db.product.findUnique({ where: { id } });
    if (!product) throw new ProblemException(404, `no product with id ${id}`);
    return toProductView(product);
  }
}
