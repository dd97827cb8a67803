import type { Server } from 'node:http';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Histogram } from 'prom-client';
import { exitWithMessage } from '@shop/platform/config';
import { createLogger, logProcessWarnings, PinoNestLogger } from './logging/pino-logger';
import { problem, ProblemDetailsFilter } from './problem/problem-details.filter';
import { refuseUnstorableInput } from './validation/storable-input';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** How much of a refused body is read and dropped so its sender receives the 413; past this the connection is cut. */
const DISCARD_LIMIT_BYTES = 16 * BODY_LIMIT_BYTES;

export interface HttpAppOptions {
  name: string;
  port: number;
  /** Loopback unless told otherwise (HOST). */
  host?: string;
  logLevel?: string;
  httpDuration?: Histogram<string>;
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy: addresses, CIDRs, `loopback`..., or a function of the address); nobody's by default. */
  trustProxy?: string | ((address: string, hop: number) => boolean);
  /**
   * Runs on the new app before its modules are initialised and their routes
   * registered: Fastify-level hooks every route must get (the gateway's edge).
   */
  prepare?: (app: NestFastifyApplication) => void;
  /** Runs after the modules' init hooks and before the app listens, e.g. to start the event consumers. */
  connect?: (app: NestFastifyApplication) => Promise<void>;
  /** Runs at shutdown once HTTP has stopped, before the app closes its modules (stop consuming before the database goes). */
  beforeClose?: (app: NestFastifyApplication) => Promise<void>;
  /** Upper bound for a graceful shutdown before the process exits anyway. */
  shutdownTimeoutMs?: number;
}

/**
 * Creates one of the platform's HTTP apps on Fastify: problem+json errors,
 * 1 MiB bodies, JSON logs.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: Omit<HttpAppOptions, 'port'>,
): Promise<NestFastifyApplication> {
  const logger = createLogger(options.name, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, keepAliveTimeout: 65_000, ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}) }),
    // bodyParser off: acceptEmptyJsonBodies installs the JSON parser itself.
    { logger: new PinoNestLogger(logger), abortOnError: false, bufferLogs: true, bodyParser: false },
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  refuseOversizedBodies(app);
  acceptEmptyJsonBodies(app);
  acceptImageBodies(app);
  refuseUnstorableInput(app.getHttpAdapter().getInstance());
  if (options.httpDuration) recordRequestDurations(app, options.httpDuration);
  return app;
}

/**
 * Runs the modules' init hooks (the database connected and its schema
 * checked), then `connect` (the event consumers): a consumer must never hand
 * a record to a handler whose dependencies are not initialised yet.
 */
export async function initHttpApp(app: NestFastifyApplication, connect?: (app: NestFastifyApplication) => Promise<void>): Promise<void> {
  await app.init();
  await connect?.(app);
}

/**
 * Creates and starts an app for `main.ts`. Failures an operator must fix
 * (config, database, port) end the process with one line, not a stack trace.
 */
export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<INestApplication> {
  let app: NestFastifyApplication | undefined;
  const logger = createLogger(options.name, options.logLevel);
  logProcessWarnings(logger);
  try {
    app = await createHttpApp(module, options);
    options.prepare?.(app);
    await initHttpApp(app, options.connect);
    await app.listen(options.port, options.host ?? '127.0.0.1');
  } catch (err) {
    await app?.close().catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EADDRINUSE') exitWithMessage(options.name, new Error(`port ${options.port} is already in use (set PORT)`));
    exitWithMessage(options.name, err);
  }
  logger.info({ port: options.port }, `${options.name} listening on port ${options.port}`);
  closeOnSignals(app, options, logger);
  return app;
}

/**
 * Stops taking requests and lets those in flight finish, runs beforeClose
 * (stop the consumers), then closes the modules (relay, producer, database).
 * Nest's own close() destroys the modules first and closes the HTTP server
 * last, so requests still in flight (or arriving meanwhile) found the
 * database gone and failed with 500.
 */
export async function closeHttpApp(app: NestFastifyApplication, beforeClose?: (app: NestFastifyApplication) => Promise<void>): Promise<void> {
  // A keep-alive connection whose last request ends after the close began would otherwise stay open until its timeout.
  const server = app.getHttpServer() as Server;
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await app.getHttpAdapter().close();
  } finally {
    clearInterval(sweep);
  }
  await beforeClose?.(app);
  await app.close();
}

/**
 * Graceful shutdown on SIGTERM and SIGINT (closeHttpApp), then exit; bounded
 * so a stuck dependency cannot keep the process alive.
 */
function closeOnSignals(app: NestFastifyApplication, options: HttpAppOptions, logger: ReturnType<typeof createLogger>): void {
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, `${options.name} shutting down`);
    const timer = setTimeout(() => {
      logger.error(`${options.name} did not shut down within ${options.shutdownTimeoutMs ?? 15_000} ms`);
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 15_000);
    timer.unref();
    try {
      await closeHttpApp(app, options.beforeClose);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, `${options.name} shutdown failed`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));
}

/**
 * A body declared larger than the limit is refused with 413 before it is
 * read. Fastify's own refusal closes the connection at once, while the client
 * is still writing: the unread data makes the server's kernel reset the
 * connection, and the reset can destroy the 413 before the client reads it
 * (seen as `fetch failed` / EPIPE under load). Here the rest of the body is
 * read and dropped, up to a bound, and the connection stays usable.
 */
function refuseOversizedBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > BODY_LIMIT_BYTES)) return done();
    let dropped = 0;
    request.raw.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DISCARD_LIMIT_BYTES) request.raw.destroy();
    });
    void reply
      .code(413)
      .header('content-type', 'application/problem+json')
      .send(problem(413, 'request body is larger than the 1 MiB limit', { instance: request.url }));
  });
}

/** A POST with a JSON content type and no body (an action such as `advance`) is a request without a body, not bad JSON. */
function acceptEmptyJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = Object.assign(new Error('the request body is not valid JSON'), { statusCode: 400 });
      done(err, undefined);
    }
  });
}

/**
 * An image body (a product picture upload) arrives as its bytes, for the route to check; the gateway passes
 * it on unchanged. Any other type without a parser stays a 415.
 */
function acceptImageBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(/^image\/[a-z0-9.+-]+$/i, { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
}

function recordRequestDurations(app: NestFastifyApplication, histogram: Histogram<string>): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route template, not the URL, keeps the label set bounded.
    const route = request.routeOptions?.url ?? 'unmatched';
    histogram.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
