import { z } from 'zod';
import { jwksAlgorithmsVar, jwtClaimVar, jwtSecretVar } from './jwt-env';

/** Schemas for variables that every app reads the same way. */
/** 0 asks the OS for a free port (tests). */
export const portVar = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

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

export const logLevelVar = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * The variables every service reads: its port, its own database and schema,
 * the brokers, the token check, logging. A service adds its own beside these.
 */
export function serviceConfigShape(defaults: { port: number; schema: string }) {
  return {
    PORT: portVar(defaults.port),
    DATABASE_URL: postgresUrlVar,
    DATABASE_SCHEMA: schemaNameVar.default(defaults.schema),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    KAFKA_BROKERS: kafkaBrokersVar,
    /** Prepended to topics and the consumer group; isolates test runs. Empty in production. */
    KAFKA_TOPIC_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]*$/).default(''),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /** One retry tier per delay; after the last, the dead-letter topic. */
    RETRY_DELAYS_MS: delayListVar.default([1_000, 10_000, 60_000]),
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
