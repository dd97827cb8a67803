import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { PaymentDataAccessModule } from '@shop/payment/data-access';
import { DeadlineProvider, PaymentProvider, SimulatedPaymentProvider } from '@shop/payment/domain';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import type { PaymentConfig } from './config/payment.config';
import { AuthorizePaymentEventController } from './payments/authorize-payment/authorize-payment.event.controller';
import { AuthorizePaymentHandler } from './payments/authorize-payment/authorize-payment.handler';
import { ListPaymentsHttpController } from './payments/list-payments/list-payments.http.controller';
import { PAYMENT_PROVIDER } from './payments/payment.tokens';
import { RefundPaymentEventController } from './payments/refund-payment/refund-payment.event.controller';
import { RefundPaymentHandler } from './payments/refund-payment/refund-payment.handler';

export interface PaymentAppOptions {
  /** A real provider's adapter; the simulated one (DESIGN §3) when not given. */
  paymentProvider?: PaymentProvider;
}

@Module({})
export class AppModule {
  static forRoot(config: PaymentConfig, registry: Registry, options: PaymentAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PaymentDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({ service: 'payment', config, registry }),
      ],
      controllers: [AuthorizePaymentEventController, RefundPaymentEventController, ListPaymentsHttpController],
      providers: [
        { provide: PAYMENT_PROVIDER, useValue: new DeadlineProvider(options.paymentProvider ?? new SimulatedPaymentProvider(), config.PAYMENT_PROVIDER_TIMEOUT_MS) },
        AuthorizePaymentHandler,
        RefundPaymentHandler,
      ],
    };
  }
}
