import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { OrderDataAccessModule } from '@shop/order/data-access';
import { serviceTokenSigner } from '@shop/platform/auth';
import { eventHistory } from '@shop/platform/messaging-nest';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import { productExportPageSchema } from '@shop/shared/contracts';
import type { OrderConfig } from './config/order.config';
import { CancelOrderHandler } from './orders/cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from './orders/cancel-order/cancel-order.http.controller';
import { AdvanceOrderHandler } from './orders/follow-lifecycle/advance-order.handler';
import { FollowLifecycleEventController } from './orders/follow-lifecycle/follow-lifecycle.event.controller';
import { GetOrderHttpController } from './orders/get-order/get-order.http.controller';
import { ListOrdersHttpController } from './orders/list-orders/list-orders.http.controller';
import { OrderLifecycleMetrics } from './orders/order-lifecycle.metrics';
import { PlaceOrderHandler } from './orders/place-order/place-order.handler';
import { CheckoutHttpController } from './checkout/checkout.http.controller';
import { CatalogProductExport } from './products/rebuild-product-snapshots/catalog-product-export';
import { ImportProductSnapshotsHandler } from './products/rebuild-product-snapshots/import-product-snapshots.handler';
import { RebuildProductSnapshotsHandler } from './products/rebuild-product-snapshots/rebuild-product-snapshots.handler';
import { RebuildProductSnapshotsHttpController } from './products/rebuild-product-snapshots/rebuild-product-snapshots.http.controller';
import { RecordProductSnapshotEventController } from './products/record-product-snapshot/record-product-snapshot.event.controller';
import { RecordProductSnapshotHandler } from './products/record-product-snapshot/record-product-snapshot.handler';
import { WaitingRoomAdminHttpController, WaitingRoomTicketsHttpController } from './waiting-room/waiting-room.http.controller';
import { WAITING_ROOM_OPTIONS, WaitingRoomOptions, WaitingRoomService } from './waiting-room/waiting-room.service';

@Module({})
export class AppModule {
  static forRoot(config: OrderConfig, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        OrderDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({
          service: 'order',
          config,
          registry,
          // A retried POST is answered from its key for this long (MESSAGING_RETENTION_HOURS).
          prune: [
            { table: 'idempotency_keys', column: 'created_at' },
            { table: 'waiting_room_tickets', column: 'ended_at' },
          ],
        }),
      ],
      controllers: [
        CheckoutHttpController,
        ListOrdersHttpController,
        GetOrderHttpController,
        CancelOrderHttpController,
        FollowLifecycleEventController,
        RecordProductSnapshotEventController,
        RebuildProductSnapshotsHttpController,
        WaitingRoomTicketsHttpController,
        WaitingRoomAdminHttpController,
      ],
      providers: [
        OrderLifecycleMetrics,
        PlaceOrderHandler,
        CancelOrderHandler,
        AdvanceOrderHandler,
        RecordProductSnapshotHandler,
        RebuildProductSnapshotsHandler,
        eventHistory('catalog.product-upserted'),
        ImportProductSnapshotsHandler,
        WaitingRoomService,
        {
          provide: WAITING_ROOM_OPTIONS,
          useValue: {
            targetSeconds: config.WAITING_ROOM_TARGET_MS / 1000,
            openAfterSeconds: config.WAITING_ROOM_OPEN_AFTER_MS / 1000,
            closeAfterSeconds: config.WAITING_ROOM_CLOSE_AFTER_MS / 1000,
            ticketTtlSeconds: config.WAITING_ROOM_TICKET_TTL_MS / 1000,
            tickMs: config.WAITING_ROOM_TICK_MS,
            minRate: 1,
            minSample: 10,
          } satisfies WaitingRoomOptions,
        },
        {
          provide: CatalogProductExport,
          useFactory: () =>
            new CatalogProductExport({
              owner: 'catalog',
              baseUrl: config.CATALOG_URL,
              path: '/api/exports/products',
              schema: productExportPageSchema,
              token: serviceTokenSigner('order', { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
            }),
        },
      ],
    };
  }
}
