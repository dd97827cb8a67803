import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Principal, Roles } from '@shop/platform/auth';
import { ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { idempotencyKeySchema, OrderView, PlaceOrderRequest, placeOrderSchema } from '@shop/shared/contracts';
import { PlaceOrderHandler } from './place-order.handler';

@Controller('api/orders')
export class PlaceOrderHttpController {
  constructor(private readonly handler: PlaceOrderHandler) {}

  /** 202: the order is accepted; its lifecycle continues asynchronously. */
  @Post()
  @Roles('customer')
  @HttpCode(202)
  async place(
    @CurrentUser() user: Principal,
    @Body(new ZodValidationPipe(placeOrderSchema)) body: PlaceOrderRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
      throw new ProblemException(400, 'Idempotency-Key must be 1 to 200 printable ASCII characters');
    }
    const order = await this.handler.execute(user.sub, body, idempotencyKey);
    void reply.header('location', `/api/orders/${order.id}`);
    return order;
  }
}
