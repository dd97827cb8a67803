import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape } from '@shop/platform/config';

/** Every environment variable the catalog service reads. */
export const catalogConfigSchema = z
  .object(serviceConfigShape({ port: 3001, schema: 'catalog' }))
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = (env: NodeJS.ProcessEnv = process.env): CatalogConfig => loadConfig(catalogConfigSchema, env);
