import { DynamicModule, Logger, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { PaymentDataAccessModule } from '@shop/payment/data-access';
import { DeadlineProvider, PaymentProvider, SimulatedPaymentProvider } from '@shop/payment/domain';
import { databaseOptions, ServiceModule } from '@shop/platform/service';
import type { PaymentConfig } from './config/payment.config';
import { FaultyReleaseProvider } from './demo/faulty-release.provider';
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
    // The provider's calls get their deadline; the demonstration's faulty build fails before the provider is asked.
    let provider: PaymentProvider = new DeadlineProvider(options.paymentProvider ?? new SimulatedPaymentProvider(), config.PAYMENT_PROVIDER_TIMEOUT_MS);
    if (config.PAYMENT_FAULTY_RELEASE_PERCENT > 0) {
      new Logger('payment').warn(`PAYMENT_FAULTY_RELEASE_PERCENT=${config.PAYMENT_FAULTY_RELEASE_PERCENT}: this build fails that share of authorisations, for the canary demonstration only`);
      provider = new FaultyReleaseProvider(provider, config.PAYMENT_FAULTY_RELEASE_PERCENT);
    }
    return {
      module: AppModule,
      imports: [
        PaymentDataAccessModule.forRoot(databaseOptions(config)),
        ServiceModule.forRoot({ service: 'payment', config, registry }),
      ],
      controllers: [AuthorizePaymentEventController, RefundPaymentEventController, ListPaymentsHttpController],
      providers: [
        { provide: PAYMENT_PROVIDER, useValue: provider },
        AuthorizePaymentHandler,
        RefundPaymentHandler,
      ],
    };
  }
}
