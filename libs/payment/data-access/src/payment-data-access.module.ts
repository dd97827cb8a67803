import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { PaymentPrismaService } from './payment-prisma.service';

export const PaymentDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(PaymentPrismaService, { ...options, migrations: MIGRATIONS }),
};
