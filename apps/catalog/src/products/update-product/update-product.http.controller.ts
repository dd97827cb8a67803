import { Body, Controller, Param, Patch } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { ProductView, UpdateProductRequest, updateProductSchema } from '@shop/shared/contracts';
import { UpdateProductHandler } from './update-product.handler';

@Controller('api/products')
export class UpdateProductHttpController {
  constructor(private readonly handler: UpdateProductHandler) {}

  @Patch(':id')
  @Roles('admin')
  async update(
    @Param('id', new UuidParamPipe('product')) id: string,
    @Body(new ZodValidationPipe(updateProductSchema)) body: UpdateProductRequest,
  ): Promise<ProductView> {
    return this.handler.execute(id, body);
  }
}
