import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape } from '@shop/platform/config';

/** A courier delay: 0 moves at once, -1 never by itself (only the admin advance route moves it). */
const courierDelay = (fallback: number) => z.coerce.number().int().min(-1).max(7 * 24 * 3_600_000).default(fallback);

/** Deliveries the courier moves at once, each in its own transaction. */
export const COURIER_CONCURRENCY = 4;

/** Every environment variable the delivery service reads. */
export const deliveryConfigSchema = z
  .object({
    ...serviceConfigShape({ port: 3004, schema: 'deliveries' }),
    DELIVERY_DISPATCH_DELAY_MS: courierDelay(3_000),
    DELIVERY_COMPLETE_DELAY_MS: courierDelay(5_000),
    COURIER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  })
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers(COURIER_CONCURRENCY));

export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;

export const loadDeliveryConfig = (env: NodeJS.ProcessEnv = process.env): DeliveryConfig => loadConfig(deliveryConfigSchema, env);
