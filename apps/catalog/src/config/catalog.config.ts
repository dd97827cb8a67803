import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape, serviceUrlVar } from '@shop/platform/config';

/** Every environment variable the catalog service reads. */
export const catalogConfigSchema = z
  .object({
    ...serviceConfigShape({ port: 3001, schema: 'catalog' }),
    /** The review service, whose review export the ratings can be imported from without the broker. */
    REVIEW_URL: serviceUrlVar('http://127.0.0.1:3005'),
    /**
     * `catalog.product-upserted` v1's compatibility window: `publish` (the default) writes v1 beside v2;
     * `off` ends it, once no consumer reads v1 any more (docs/messaging.md, "Changing an event").
     */
    PRODUCT_UPSERTED_V1: z.enum(['publish', 'off']).default('publish'),
  })
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = (env: NodeJS.ProcessEnv = process.env): CatalogConfig => loadConfig(catalogConfigSchema, env);
