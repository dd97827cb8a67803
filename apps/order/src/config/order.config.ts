import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape, serviceUrlVar } from '@shop/platform/config';

/** Every environment variable the order service reads. */
export const orderConfigSchema = z
  .object({
    ...serviceConfigShape({ port: 3002, schema: 'orders' }),
    /** The catalog, whose product export the snapshot can be imported from without the broker. */
    CATALOG_URL: serviceUrlVar('http://127.0.0.1:3001'),
    /** The waiting room (docs/waiting-room.md): placed → CONFIRMED p90 it holds admitted orders to. */
    WAITING_ROOM_TARGET_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
    /** How long the lifecycle must stay saturated before the room opens by itself (a shorter burst never opens it). */
    WAITING_ROOM_OPEN_AFTER_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
    /** How long the lifecycle must keep up, nobody waiting, before the room closes by itself. */
    WAITING_ROOM_CLOSE_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
    /** A waiting ticket nobody looked at for this long expires and frees its place. */
    WAITING_ROOM_TICKET_TTL_MS: z.coerce.number().int().min(2_000).max(3_600_000).default(60_000),
    /** How often each replica reads the room and the one holding it admits from the line. */
    WAITING_ROOM_TICK_MS: z.coerce.number().int().min(20).max(10_000).default(250),
  })
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type OrderConfig = z.infer<typeof orderConfigSchema>;

export const loadOrderConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(orderConfigSchema, env);
