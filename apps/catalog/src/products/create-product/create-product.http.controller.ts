import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { CreateProductRequest, createProductSchema, ProductView } from '@shop/shared/contracts';
import { CreateProductHandler } from './create-product.handler';

@Controller('api/products')
export class CreateProductHttpController {
  constructor(private readonly handler: CreateProductHandler) {}

  @Post()
  @Roles('admin')
  @HttpCode(201)
  async create(@Body(new ZodValidationPipe(createProductSchema)) body: CreateProductRequest): Promise<ProductView> {
    return this.handler.execute(body);
  }
}
