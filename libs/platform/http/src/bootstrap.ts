import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Histogram } from 'prom-client';
import { exitWithMessage } from '@shop/platform/config';
import { createLogger, PinoNestLogger } from './logging/pino-logger';
import { ProblemDetailsFilter } from './problem/problem-details.filter';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  name: string;
  port: number;
  host?: string;
  logLevel?: string;
  httpDuration?: Histogram<string>;
}

/**
 * Creates one of the platform's HTTP apps on Fastify: problem+json errors,
 * 1 MiB bodies, JSON logs, graceful shutdown on SIGTERM and SIGINT.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: Omit<HttpAppOptions, 'port'>,
): Promise<NestFastifyApplication> {
  const logger = createLogger(options.name, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, keepAliveTimeout: 65_000 }),
    { logger: new PinoNestLogger(logger), abortOnError: false, bufferLogs: true },
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  if (options.httpDuration) recordRequestDurations(app, options.httpDuration);
  return app;
}

/**
 * Creates and starts an app for `main.ts`. Failures an operator must fix
 * (config, database, port) end the process with one line, not a stack trace.
 */
export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<INestApplication> {
  let app: NestFastifyApplication | undefined;
  try {
    app = await createHttpApp(module, options);
    await app.listen(options.port, options.host ?? '0.0.0.0');
  } catch (err) {
    await app?.close().catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EADDRINUSE') exitWithMessage(options.name, new Error(`port ${options.port} is already in use (set PORT)`));
    exitWithMessage(options.name, err);
  }
  createLogger(options.name, options.logLevel).info({ port: options.port }, `${options.name} listening on port ${options.port}`);
  return app;
}

function recordRequestDurations(app: NestFastifyApplication, histogram: Histogram<string>): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL, keeps the label set bounded.
    const route = request.routeOptions?.url ?? 'unmatched';
    histogram.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
