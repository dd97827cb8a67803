import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { OrderPrismaService } from './order-prisma.service';

export const OrderDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(OrderPrismaService, options),
};
