import { z } from 'zod';

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

export const logLevelVar = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
