import type { DynamicModule } from '@nestjs/common';
import { IdempotencyKeyRepository, OrderRepository, ProductSnapshotRepository, WaitingRoomRepository } from '@shop/order/domain';
import { databaseModule, DatabaseOptions } from '@shop/platform/database';
import { MIGRATIONS } from './generated/migrations';
import { OrderPrismaService } from './order-prisma.service';
import { OrderQueries } from './order.queries';
import { PgIdempotencyKeyRepository, PgOrderRepository, PgProductSnapshotRepository } from './pg-order.repository';
import { PgWaitingRoomRepository } from './pg-waiting-room.repository';

export const OrderDataAccessModule = {
  forRoot: (options: DatabaseOptions): DynamicModule =>
    databaseModule(OrderPrismaService, { ...options, migrations: MIGRATIONS }, [
      { provide: OrderRepository, useClass: PgOrderRepository },
      { provide: ProductSnapshotRepository, useClass: PgProductSnapshotRepository },
      { provide: IdempotencyKeyRepository, useClass: PgIdempotencyKeyRepository },
      { provide: WaitingRoomRepository, useClass: PgWaitingRoomRepository },
      OrderQueries,
    ]),
};
