import { z } from 'zod';
import { jwksAlgorithmsVar, jwtClaimVar, jwtSecretVar } from './jwt-env';

/** Schemas for variables that every app reads the same way. */
/** 0 asks the OS for a free port (tests). */
export const portVar = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * The address an app listens on: loopback unless told otherwise, so a local
 * start (with the demo token issuer on) never faces the network; images set
 * 0.0.0.0, where a container's own network is the boundary.
 */
export const hostVar = z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1');

export const postgresUrlVar = z
  .string()
  .min(1)
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgresql:// URL');

export const schemaNameVar = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier');

/** `host:port[,host:port...]`, the list kafkajs takes as brokers. */
export const kafkaBrokersVar = z
  .string()
  .min(1)
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d+$/.test(b)), 'must be host:port[,host:port]');

/** `1000,10000,60000`: growing delays in milliseconds. */
export const delayListVar = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean).map(Number))
  .refine((list) => list.length <= 10 && list.every((n) => Number.isInteger(n) && n >= 0 && n <= 86_400_000), 'must be up to 10 comma-separated delays in ms');

/** One retry tier per delay (RETRY_DELAYS_MS when unset); after the last, the dead-letter topic. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 10_000, 60_000];

/** Another service's base URL (`http://catalog:3001`), for the calls a service makes to it. */
export const serviceUrlVar = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

export const logLevelVar = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * The variables every service reads: its port, its own database and schema,
 * the brokers, the token check, logging. A service adds its own beside these.
 */
export function serviceConfigShape(defaults: { port: number; schema: string }) {
  return {
    PORT: portVar(defaults.port),
    HOST: hostVar,
    DATABASE_URL: postgresUrlVar,
    DATABASE_SCHEMA: schemaNameVar.default(defaults.schema),
    /** Connections of the service's pool; at least what its handlers can hold at once (see poolCoversHandlers). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(16),
    /**
     * What one statement, one lock wait and one transaction left idle may hold the database for: a stuck query,
     * a lock held by a crashed handler or a forgotten transaction is ended by the server, not waited on forever.
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /** Partitions whose records are handled at once by the main consumer, and by the retry-tier consumer. */
    CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    RETRY_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    KAFKA_BROKERS: kafkaBrokersVar,
    /** Prepended to topics and the consumer group; isolates test runs. Empty in production. */
    KAFKA_TOPIC_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]*$/).default(''),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /**
     * Published outbox rows and idempotency keys are deleted after this many hours, inbox rows after twice as
     * long (a consumer must remember whatever a republish can still send again).
     */
    MESSAGING_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
    /** Readiness fails while an outbox row has waited longer than this to be published. */
    OUTBOX_MAX_PENDING_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
    /** One retry tier per delay; after the last, the dead-letter topic. */
    RETRY_DELAYS_MS: delayListVar.default([...DEFAULT_RETRY_DELAYS_MS]),
    // Listed here, not spread from elsewhere: tools/deploy reads the names an app takes from this function's text.
    JWT_SECRET: jwtSecretVar.optional(),
    JWT_JWKS_URL: z.url().optional(),
    /** The algorithms accepted from the JWKS; with JWT_SECRET only HS256 is. */
    JWT_JWKS_ALGORITHMS: jwksAlgorithmsVar,
    JWT_ISSUER: jwtClaimVar.optional(),
    JWT_AUDIENCE: jwtClaimVar.optional(),
    LOG_LEVEL: logLevelVar,
  };
}

/**
 * Refinement for schemas built from serviceConfigShape: every handler that
 * may run at once holds a database connection, so a smaller pool makes them
 * wait on each other (and time out) under load. `others` counts the service's
 * other concurrent users of the pool (the courier's workers, say); two more
 * are kept for HTTP requests.
 */
export function poolCoversHandlers(others = 0) {
  const needed = (env: { CONSUMER_CONCURRENCY: number; RETRY_CONSUMER_CONCURRENCY: number }) =>
    env.CONSUMER_CONCURRENCY + env.RETRY_CONSUMER_CONCURRENCY + others + 2;
  const check = (env: { DATABASE_POOL_SIZE: number; CONSUMER_CONCURRENCY: number; RETRY_CONSUMER_CONCURRENCY: number }) =>
    env.DATABASE_POOL_SIZE >= needed(env);
  const params: { message: string; path: PropertyKey[] } = {
    message: `must be at least CONSUMER_CONCURRENCY + RETRY_CONSUMER_CONCURRENCY${others ? ` + ${others}` : ''} + 2 (the handlers that may hold a connection at once, plus requests)`,
    path: ['DATABASE_POOL_SIZE'],
  };
  return [check, params] as const;
}
