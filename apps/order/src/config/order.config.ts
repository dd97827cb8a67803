import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape, serviceUrlVar } from '@shop/platform/config';

/** Every environment variable the order service reads. */
export const orderConfigSchema = z
  .object({
    ...serviceConfigShape({ port: 3002, schema: 'orders' }),
    /** The catalog, whose product export the snapshot can be imported from without the broker. */
    CATALOG_URL: serviceUrlVar('http://127.0.0.1:3001'),
  })
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type OrderConfig = z.infer<typeof orderConfigSchema>;

export const loadOrderConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(orderConfigSchema, env);
