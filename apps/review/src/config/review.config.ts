import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape } from '@shop/platform/config';

/** Every environment variable the review service reads. */
export const reviewConfigSchema = z
  .object(serviceConfigShape({ port: 3005, schema: 'reviews' }))
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type ReviewConfig = z.infer<typeof reviewConfigSchema>;

export const loadReviewConfig = (env: NodeJS.ProcessEnv = process.env): ReviewConfig => loadConfig(reviewConfigSchema, env);
