import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { OrderPrismaService } from './order-prisma.service';

export const OrderDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(OrderPrismaService, { ...options, migrations: MIGRATIONS }),
};
