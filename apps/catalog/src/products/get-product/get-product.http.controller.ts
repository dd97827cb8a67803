import { Controller, Get, Param } from '@nestjs/common';
import { Public, UuidParamPipe } from '@shop/platform/http';
import type { ProductView } from '@shop/shared/contracts';
import { ProductViews } from '../product.views';

@Public()
@Controller('api/products')
export class GetProductHttpController {
  constructor(private readonly views: ProductViews) {}

  @Get(':id')
  get(@Param('id', new UuidParamPipe('product')) id: string): Promise<ProductView> {
    return this.views.get(id);
  }
}
