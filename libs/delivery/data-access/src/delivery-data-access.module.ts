import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { DeliveryPrismaService } from './delivery-prisma.service';

export const DeliveryDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(DeliveryPrismaService, { ...options, migrations: MIGRATIONS }),
};
