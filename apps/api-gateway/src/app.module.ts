import { DynamicModule, Module, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { HealthModule, METRICS_REGISTRY } from '@shop/platform/http';
import { ResilienceModule } from '@shop/platform/resilience';
import { BreakersHttpController } from './admin/breakers/breakers.http.controller';
import { ChartsHttpController } from './admin/charts/charts.http.controller';
import { PrometheusCharts } from './admin/charts/prometheus-charts.service';
import { OperationsHttpController } from './admin/operations/operations.http.controller';
import { IssueTokenHttpController } from './auth/issue-token/issue-token.http.controller';
import { CatalogReads } from './catalog/catalog-reads.service';
import type { GatewayConfig } from './config/gateway.config';
import { DocsHttpController } from './docs/docs.http.controller';
import { GatewayMetrics } from './metrics/gateway.metrics';
import { OrderSummaryHandler } from './orders/order-summary/order-summary.handler';
import { OrderSummaryHttpController } from './orders/order-summary/order-summary.http.controller';
import { UpstreamProxy } from './proxy/upstream-proxy.service';
import { CanaryRouter } from './releases/canary-router';
import { ReleasesHttpController } from './releases/releases.http.controller';
import { ServiceCatalogHttpController } from './admin/service-catalog/service-catalog.http.controller';
import { GATEWAY_CONFIG, upstreamOptions } from './upstreams/upstreams';

/**
 * The contract's routes answered in Nest: the composed summary and the
 * gateway's own (operator routes, breakers). The one-call routes are the
 * proxy's, on Fastify (edge/proxy-routes.ts); the demo issuer joins these
 * only when enabled.
 */
export const CONTRACT_CONTROLLERS: Type<unknown>[] = [OrderSummaryHttpController, OperationsHttpController, BreakersHttpController, ChartsHttpController, ReleasesHttpController, ServiceCatalogHttpController];

/**
 * The gateway: no database, no Kafka. Tokens and rate limits are checked at
 * the edge (edge/edge-hooks.ts) before any handler, and again by each
 * service; one breaker and bulkhead per upstream.
 */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, registry: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Ready when this process can serve; a down service is the breakers' business, not a reason to leave the load balancer.
        HealthModule.forRoot({ inject: [], factory: () => [] }),
        ResilienceModule.forRoot({ upstreams: upstreamOptions(config), registry }),
      ],
      controllers: [...CONTRACT_CONTROLLERS, ...(config.AUTH_DEMO_ISSUER ? [IssueTokenHttpController] : []), DocsHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        // The registry without the route: the gateway's /metrics has a listener of its own.
        { provide: METRICS_REGISTRY, useValue: registry },
        GatewayMetrics,
        UpstreamProxy,
        CanaryRouter,
        CatalogReads,
        OrderSummaryHandler,
        PrometheusCharts,
      ],
    };
  }
}
