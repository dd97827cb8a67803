import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape } from '@shop/platform/config';

/** Every environment variable the order service reads. */
export const orderConfigSchema = z
  .object(serviceConfigShape({ port: 3002, schema: 'orders' }))
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type OrderConfig = z.infer<typeof orderConfigSchema>;

export const loadOrderConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(orderConfigSchema, env);
