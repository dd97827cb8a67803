import type { DynamicModule } from '@nestjs/common';
import { PaymentRepository } from '@shop/payment/domain';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { PaymentPrismaService } from './payment-prisma.service';
import { PaymentQueries } from './payment.queries';
import { PgPaymentRepository } from './pg-payment.repository';

export const PaymentDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule =>
    databaseModule(PaymentPrismaService, { ...options, migrations: MIGRATIONS }, [
      { provide: PaymentRepository, useClass: PgPaymentRepository },
      PaymentQueries,
    ]),
};
