import { DynamicModule, Module, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AuthModule } from '@shop/platform/auth';
import { HealthModule, MetricsModule } from '@shop/platform/http';
import { ResilienceModule } from '@shop/platform/resilience';
import { BreakersHttpController } from './admin/breakers/breakers.http.controller';
import { OperationsHttpController } from './admin/operations/operations.http.controller';
import { IssueTokenHttpController } from './auth/issue-token/issue-token.http.controller';
import { CatalogReads } from './catalog/catalog-reads.service';
import { ProductsHttpController } from './catalog/products.http.controller';
import type { GatewayConfig } from './config/gateway.config';
import { DeliveriesHttpController } from './deliveries/deliveries.http.controller';
import { DocsHttpController } from './docs/docs.http.controller';
import { GatewayMetrics } from './gateway.metrics';
import { OrderSummaryHandler } from './orders/order-summary/order-summary.handler';
import { OrderSummaryHttpController } from './orders/order-summary/order-summary.http.controller';
import { OrdersHttpController } from './orders/orders.http.controller';
import { PaymentsHttpController } from './payments/payments.http.controller';
import { UpstreamProxy } from './proxy/upstream-proxy.service';
import { ReviewsHttpController } from './reviews/reviews.http.controller';
import { GATEWAY_CONFIG, upstreamOptions } from './upstreams/upstreams';

/** The public contract's routes (the demo issuer joins them only when enabled). */
export const CONTRACT_CONTROLLERS: Type<unknown>[] = [
  ProductsHttpController,
  ReviewsHttpController,
  OrdersHttpController,
  OrderSummaryHttpController,
  PaymentsHttpController,
  DeliveriesHttpController,
  OperationsHttpController,
  BreakersHttpController,
];

/**
 * The gateway: no database, no Kafka. Tokens are checked here before any
 * upstream call (and again by each service); one breaker per upstream.
 */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot(registry),
        AuthModule.forRoot({ secret: config.JWT_SECRET, jwksUrl: config.JWT_JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        // Ready when this process can serve; a down service is the breakers' business, not a reason to leave the load balancer.
        HealthModule.forRoot({ inject: [], factory: () => [] }),
        ResilienceModule.forRoot({ upstreams: upstreamOptions(config), registry }),
      ],
      controllers: [...CONTRACT_CONTROLLERS, ...(config.AUTH_DEMO_ISSUER ? [IssueTokenHttpController] : []), DocsHttpController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, GatewayMetrics, UpstreamProxy, CatalogReads, OrderSummaryHandler],
    };
  }
}
