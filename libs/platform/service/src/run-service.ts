import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';
import { exitWithMessage } from '@shop/platform/config';
import { closeHttpApp, createHttpApp, createMetricsRegistry, initHttpApp, startHttpApp } from '@shop/platform/http';
import { startEventConsumers, stopEventConsumers } from '@shop/platform/messaging-nest';

export interface ServiceDefinition<C extends { PORT: number; HOST: string; LOG_LEVEL: string }> {
  name: string;
  loadConfig(env?: NodeJS.ProcessEnv): C;
  module(config: C, registry: Registry): DynamicModule;
}

/** main.ts of every service: config, HTTP, event consumers, graceful shutdown. */
export function runService<C extends { PORT: number; HOST: string; LOG_LEVEL: string }>(definition: ServiceDefinition<C>): void {
  (async () => {
    const config = definition.loadConfig();
    const { registry, httpDuration } = createMetricsRegistry(definition.name);
    await startHttpApp(definition.module(config, registry), {
      name: definition.name,
      port: config.PORT,
      host: config.HOST,
      logLevel: config.LOG_LEVEL,
      httpDuration,
      connect: startEventConsumers,
      beforeClose: stopEventConsumers,
    });
  })().catch((err) => exitWithMessage(definition.name, err));
}

/** The same app for tests: listening on a free port, consumers started. Close it with closeService. */
export async function startServiceForTest<C extends { PORT: number; HOST: string; LOG_LEVEL: string }>(
  definition: ServiceDefinition<C>,
  env: NodeJS.ProcessEnv,
): Promise<{ app: NestFastifyApplication; url: string; config: C }> {
  const config = definition.loadConfig({ LOG_LEVEL: 'warn', ...env });
  const { registry, httpDuration } = createMetricsRegistry(definition.name);
  const app = await createHttpApp(definition.module(config, registry), { name: definition.name, logLevel: config.LOG_LEVEL, httpDuration });
  await initHttpApp(app, startEventConsumers);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), config };
}

export async function closeService(app: NestFastifyApplication | undefined): Promise<void> {
  if (!app) return;
  await closeHttpApp(app, stopEventConsumers);
}
