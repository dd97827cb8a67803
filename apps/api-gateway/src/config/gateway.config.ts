import { z } from 'zod';
import { loadConfig, logLevelVar, portVar } from '@shop/platform/config';

const upstreamUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback);
const millis = (fallback: number, min = 1, max = 600_000) => z.coerce.number().int().min(min).max(max).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** Every environment variable the gateway reads. */
export const gatewayConfigSchema = z
  .object({
    PORT: portVar(3000),
    CATALOG_URL: upstreamUrl('http://127.0.0.1:3001'),
    ORDER_URL: upstreamUrl('http://127.0.0.1:3002'),
    PAYMENT_URL: upstreamUrl('http://127.0.0.1:3003'),
    DELIVERY_URL: upstreamUrl('http://127.0.0.1:3004'),
    REVIEW_URL: upstreamUrl('http://127.0.0.1:3005'),
    JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    /** `POST /api/auth/token` mints tokens for anyone, any role: the local stack and demos only. */
    AUTH_DEMO_ISSUER: z.stringbool().default(false),
    DEMO_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
    /** The gateway's own deadline per request; upstream calls must fit inside it. */
    REQUEST_TIMEOUT_MS: millis(10_000, 100),
    UPSTREAM_TIMEOUT_MS: millis(3_000, 10),
    /** Keep-alive sockets per upstream. */
    UPSTREAM_CONNECTIONS: count(32, 1_024),
    /** Calls in flight per upstream (bulkhead); the excess gets 503 at once. */
    BREAKER_CAPACITY: count(64, 10_000),
    BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().int().min(1).max(100).default(50),
    BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(0).max(10_000).default(10),
    BREAKER_RESET_TIMEOUT_MS: millis(5_000, 50),
    BREAKER_ROLLING_WINDOW_MS: millis(10_000, 100),
    /** How long the last good catalog read may stand in for a failing catalog. */
    CATALOG_STALE_TTL_MS: millis(60_000, 0, 86_400_000),
    CATALOG_STALE_MAX_ENTRIES: count(1_000, 1_000_000),
    LOG_LEVEL: logLevelVar,
  })
  .refine((env) => Boolean(env.JWT_SECRET || env.JWT_JWKS_URL), { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine((env) => !env.AUTH_DEMO_ISSUER || Boolean(env.JWT_SECRET), {
    message: 'the demo issuer signs with JWT_SECRET; set it or AUTH_DEMO_ISSUER=false',
    path: ['AUTH_DEMO_ISSUER'],
  })
  // The order summary waits for the order, then for its parts: two upstream timeouts in a row.
  .refine((env) => env.UPSTREAM_TIMEOUT_MS * 2 < env.REQUEST_TIMEOUT_MS, {
    message: 'must be less than half of REQUEST_TIMEOUT_MS (the order summary makes two upstream calls in a row)',
    path: ['UPSTREAM_TIMEOUT_MS'],
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfig(gatewayConfigSchema, env);
