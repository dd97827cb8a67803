import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Principal } from '@shop/platform/auth';
import { UuidParamPipe } from '@shop/platform/http';
import type { OrderView } from '@shop/shared/contracts';
import { CancelOrderHandler } from './cancel-order.handler';

@Controller('api/orders')
export class CancelOrderHttpController {
  constructor(private readonly handler: CancelOrderHandler) {}

  /** 202: cancelled now; refund and stock release follow through events. 409 once shipped. */
  @Post(':id/cancel')
  @HttpCode(202)
  cancel(@CurrentUser() user: Principal, @Param('id', new UuidParamPipe('order')) id: string): Promise<OrderView> {
    return this.handler.execute(user.sub, id);
  }
}
