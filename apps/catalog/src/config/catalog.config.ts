import { z } from 'zod';
import { kafkaBrokersVar, loadConfig, logLevelVar, portVar, postgresUrlVar, schemaNameVar } from '@shop/platform/config';

/** Every environment variable the catalog service reads. */
export const catalogConfigSchema = z.object({
  PORT: portVar(3001),
  DATABASE_URL: postgresUrlVar,
  DATABASE_SCHEMA: schemaNameVar.default('catalog'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  KAFKA_BROKERS: kafkaBrokersVar,
  KAFKA_CLIENT_ID: z.string().min(1).default('catalog'),
  LOG_LEVEL: logLevelVar,
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = (env: NodeJS.ProcessEnv = process.env): CatalogConfig => loadConfig(catalogConfigSchema, env);
