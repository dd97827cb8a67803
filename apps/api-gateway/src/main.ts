import './telemetry';
import 'reflect-metadata';
import type { Server } from 'node:http';
import { exitWithMessage } from '@shop/platform/config';
import { createMetricsRegistry, startHttpApp } from '@shop/platform/http';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { TrustedProxies } from './config/trusted-proxies';
import { prepareGateway } from './gateway.setup';
import { closeMetrics, serveMetrics } from './metrics/metrics-listener';

(async () => {
  const config = loadGatewayConfig();
  const { registry, httpDuration } = createMetricsRegistry('api-gateway');
  let metrics: Server | undefined;
  const proxies = new TrustedProxies(config.TRUSTED_PROXIES);
  await startHttpApp(AppModule.forRoot(config, registry), {
    name: 'api-gateway',
    port: config.PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    httpDuration,
    trustProxy: proxies.trust,
    // The edge's hooks must be on Fastify before Nest registers its routes, or those routes would go unguarded.
    prepare: (app) => prepareGateway(app, config),
    connect: async () => {
      await proxies.start();
      metrics = await serveMetrics(registry, config.METRICS_HOST, config.METRICS_PORT);
    },
    beforeClose: () => {
      proxies.close();
      return closeMetrics(metrics);
    },
  });
})().catch((err) => exitWithMessage('api-gateway', err));
