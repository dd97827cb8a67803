import 'reflect-metadata';
import { exitWithMessage } from '@shop/platform/config';
import { createMetricsRegistry, startHttpApp } from '@shop/platform/http';
import { AppModule } from './app.module';
import { loadCatalogConfig } from './config/catalog.config';

async function main(): Promise<void> {
  const config = loadCatalogConfig();
  const { registry, httpDuration } = createMetricsRegistry('catalog');
  await startHttpApp(AppModule.forRoot(config, registry), { name: 'catalog', port: config.PORT, logLevel: config.LOG_LEVEL, httpDuration });
}

main().catch((err) => exitWithMessage('catalog', err));
