import type { DynamicModule } from '@nestjs/common';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { PaymentPrismaService } from './payment-prisma.service';

export const PaymentDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule => databaseModule(PaymentPrismaService, options),
};
