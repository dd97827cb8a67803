import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Principal, Roles } from '@shop/platform/auth';
import { UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { CreateReviewRequest, createReviewSchema, ReviewView } from '@shop/shared/contracts';
import { CreateReviewHandler } from './create-review.handler';

@Controller('api/products/:id/reviews')
export class CreateReviewHttpController {
  constructor(private readonly handler: CreateReviewHandler) {}

  /** Customers review what was delivered to them; an admin has no orders to review. */
  @Post()
  @Roles('customer')
  @HttpCode(201)
  async create(
    @Param('id', new UuidParamPipe('product')) productId: string,
    @Body(new ZodValidationPipe(createReviewSchema)) body: CreateReviewRequest,
    @CurrentUser() caller: Principal,
  ): Promise<ReviewView> {
    return this.handler.execute({ customerId: caller.sub, productId }, body);
  }
}
