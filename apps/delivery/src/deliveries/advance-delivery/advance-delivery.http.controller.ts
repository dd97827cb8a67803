import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { UuidParamPipe } from '@shop/platform/http';
import type { DeliveryView } from '@shop/shared/contracts';
import { AdvanceDeliveryHandler } from './advance-delivery.handler';

@Controller('api/admin/deliveries')
export class AdvanceDeliveryHttpController {
  constructor(private readonly handler: AdvanceDeliveryHandler) {}

  @Post(':id/advance')
  @Roles('admin')
  @HttpCode(200)
  async advance(@Param('id', new UuidParamPipe('delivery')) id: string): Promise<DeliveryView> {
    return this.handler.execute(id);
  }
}
