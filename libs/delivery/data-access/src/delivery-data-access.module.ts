import type { DynamicModule } from '@nestjs/common';
import { DeliveryRepository } from '@shop/delivery/domain';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { DeliveryPrismaService } from './delivery-prisma.service';
import { DeliveryQueries } from './delivery.queries';
import { MIGRATIONS } from './generated/migrations';
import { PgDeliveryRepository } from './pg-delivery.repository';

export const DeliveryDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule =>
    databaseModule(DeliveryPrismaService, { ...options, migrations: MIGRATIONS }, [
      { provide: DeliveryRepository, useClass: PgDeliveryRepository },
      DeliveryQueries,
    ]),
};
