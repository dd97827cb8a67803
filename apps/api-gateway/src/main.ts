import './telemetry';
import 'reflect-metadata';
import { exitWithMessage } from '@shop/platform/config';
import { createMetricsRegistry, startHttpApp } from '@shop/platform/http';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { installRequestDeadline } from './proxy/request-deadline';

(async () => {
  const config = loadGatewayConfig();
  const { registry, httpDuration } = createMetricsRegistry('api-gateway');
  await startHttpApp(AppModule.forRoot(config, registry), {
    name: 'api-gateway',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    httpDuration,
    connect: async (app) => installRequestDeadline(app, config.REQUEST_TIMEOUT_MS),
  });
})().catch((err) => exitWithMessage('api-gateway', err));
