import { join } from 'node:path';
import pino from 'pino';
import { loadStorefrontConfig } from './config/storefront.config';
import { createStorefront, listen } from './server/storefront.server';

/** Vite writes the pages beside the compiled server: dist/apps/storefront/public. */
const STATIC_DIR = join(__dirname, '..', 'public');

function fail(err: unknown): never {
  process.stderr.write(`storefront: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
  process.exit(1);
}

(async () => {
  const config = loadStorefrontConfig();
  const logger = pino({ name: 'storefront', level: config.LOG_LEVEL, base: { app: 'storefront' }, timestamp: pino.stdTimeFunctions.isoTime });
  const storefront = createStorefront(config, STATIC_DIR, logger);
  const { port, metricsPort } = await listen(
    storefront,
    { port: config.PORT, host: config.HOST, metricsPort: config.METRICS_PORT, metricsHost: config.METRICS_HOST },
    STATIC_DIR,
  );
  logger.info({ port, metricsPort, gateway: config.GATEWAY_URL }, `storefront listening on port ${port} (metrics on ${metricsPort}), API through ${config.GATEWAY_URL}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    // In-flight requests get a few seconds; then the process goes anyway.
    setTimeout(() => process.exit(0), 5_000).unref();
    storefront.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
})().catch(fail);
