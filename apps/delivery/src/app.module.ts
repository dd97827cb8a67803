import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DeliveryDataAccessModule } from '@shop/delivery/data-access';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import type { DeliveryConfig } from './config/delivery.config';
import { COURIER_OPTIONS, CourierOptions, CourierService } from './courier/courier.service';
import { AdvanceDeliveryHandler } from './deliveries/advance-delivery/advance-delivery.handler';
import { AdvanceDeliveryHttpController } from './deliveries/advance-delivery/advance-delivery.http.controller';
import { AdvanceDueDeliveriesHandler } from './deliveries/advance-delivery/advance-due-deliveries.handler';
import { CancelDeliveryEventController } from './deliveries/cancel-delivery/cancel-delivery.event.controller';
import { CancelDeliveryHandler } from './deliveries/cancel-delivery/cancel-delivery.handler';
import { DeliveryDueSignal } from './deliveries/delivery-due.signal';
import { ListDeliveriesHttpController } from './deliveries/list-deliveries/list-deliveries.http.controller';
import { ScheduleDeliveryEventController } from './deliveries/schedule-delivery/schedule-delivery.event.controller';
import { ScheduleDeliveryHandler } from './deliveries/schedule-delivery/schedule-delivery.handler';

@Module({})
export class AppModule {
  static forRoot(config: DeliveryConfig, registry: Registry): DynamicModule {
    const courier: CourierOptions = {
      dispatchDelayMs: config.DELIVERY_DISPATCH_DELAY_MS,
      completeDelayMs: config.DELIVERY_COMPLETE_DELAY_MS,
      pollIntervalMs: config.COURIER_POLL_INTERVAL_MS,
    };
    return {
      module: AppModule,
      imports: [
        DeliveryDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({ service: 'delivery', config, registry }),
      ],
      controllers: [
        ListDeliveriesHttpController,
        AdvanceDeliveryHttpController,
        ScheduleDeliveryEventController,
        CancelDeliveryEventController,
      ],
      providers: [
        { provide: COURIER_OPTIONS, useValue: courier },
        CourierService,
        DeliveryDueSignal,
        ScheduleDeliveryHandler,
        CancelDeliveryHandler,
        AdvanceDeliveryHandler,
        AdvanceDueDeliveriesHandler,
      ],
    };
  }
}
