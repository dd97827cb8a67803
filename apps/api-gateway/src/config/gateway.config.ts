import { z } from 'zod';
import { hostVar, jwksAlgorithmsVar, jwtClaimVar, jwtSecretVar, loadConfig, logLevelVar, portVar } from '@shop/platform/config';
import { parseTrustedProxies } from './trusted-proxies';

const upstreamUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback);
const millis = (fallback: number, min = 1, max = 600_000) => z.coerce.number().int().min(min).max(max).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const perSecond = (fallback: number) => z.coerce.number().min(0.01).max(1_000_000).default(fallback);

/** Every environment variable the gateway reads. */
export const gatewayConfigSchema = z
  .object({
    PORT: portVar(3000),
    HOST: hostVar,
    /** `/metrics` is served here, not on the public listener; loopback unless a scraper needs more (0.0.0.0 in a container). */
    METRICS_PORT: portVar(9464),
    METRICS_HOST: hostVar,
    CATALOG_URL: upstreamUrl('http://127.0.0.1:3001'),
    ORDER_URL: upstreamUrl('http://127.0.0.1:3002'),
    PAYMENT_URL: upstreamUrl('http://127.0.0.1:3003'),
    DELIVERY_URL: upstreamUrl('http://127.0.0.1:3004'),
    REVIEW_URL: upstreamUrl('http://127.0.0.1:3005'),
    JWT_SECRET: jwtSecretVar.optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_JWKS_ALGORITHMS: jwksAlgorithmsVar,
    JWT_ISSUER: jwtClaimVar.optional(),
    JWT_AUDIENCE: jwtClaimVar.optional(),
    /** `POST /api/auth/token` mints tokens for anyone, any role: the local stack and demos only. */
    AUTH_DEMO_ISSUER: z.stringbool().default(false),
    DEMO_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
    /**
     * Addresses whose X-Forwarded-For is believed (the storefront's, an ingress's): comma-separated IPs, CIDRs,
     * `loopback`, `linklocal`, `uniquelocal`, or host names (a proxy's container name, looked up every 10 s).
     * Everyone else is known by the address they connect from.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('loopback')
      .refine((v) => !('invalid' in parseTrustedProxies(v)), { message: 'must list addresses, CIDRs, loopback, linklocal, uniquelocal or host names' }),
    /** The gateway's own deadline per request; upstream calls must fit inside it. */
    REQUEST_TIMEOUT_MS: millis(10_000, 100),
    /** Reads time out after 4x the upstream's recent p99, never sooner than this... */
    UPSTREAM_READ_TIMEOUT_FLOOR_MS: millis(500, 10),
    /** ...nor later than this (which also holds until the upstream has answered a few reads). */
    UPSTREAM_READ_TIMEOUT_MS: millis(2_000, 10),
    /** Writes: sent once, never retried, given longer. */
    UPSTREAM_WRITE_TIMEOUT_MS: millis(5_000, 10),
    /** The order summary's payment, delivery and reviews, all together; a part not in by then is degraded. */
    SUMMARY_PARTS_TIMEOUT_MS: millis(1_000, 10),
    /** Keep-alive sockets per upstream. */
    UPSTREAM_CONNECTIONS: count(32, 1_024),
    /** Calls in flight per upstream (bulkhead); the excess is refused at once and never counts against the upstream. */
    BULKHEAD_CAPACITY: count(64, 10_000),
    /** A client holding this share of a full bulkhead is refused with 429 (its own doing) rather than 503. */
    BULKHEAD_CLIENT_SHARE_PERCENT: z.coerce.number().int().min(1).max(100).default(25),
    BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().int().min(1).max(100).default(50),
    BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(0).max(10_000).default(10),
    /** Failures (5xx, timeouts, no connection) in a row that open a breaker whatever the traffic rate. */
    BREAKER_CONSECUTIVE_FAILURES: count(3, 1_000),
    BREAKER_RESET_TIMEOUT_MS: millis(5_000, 50),
    BREAKER_ROLLING_WINDOW_MS: millis(10_000, 100),
    /** Token buckets per client: requests without a token, per address... */
    RATE_LIMIT_ANONYMOUS_PER_SECOND: perSecond(20),
    RATE_LIMIT_ANONYMOUS_BURST: count(40, 1_000_000),
    /** ...reads with a token, per customer... */
    RATE_LIMIT_READ_PER_SECOND: perSecond(20),
    RATE_LIMIT_READ_BURST: count(40, 1_000_000),
    /** ...and writes, per customer. */
    RATE_LIMIT_WRITE_PER_SECOND: perSecond(5),
    RATE_LIMIT_WRITE_BURST: count(10, 1_000_000),
    /** Clients remembered at most per class; idle ones (a full bucket) are forgotten first. */
    RATE_LIMIT_MAX_CLIENTS: count(100_000, 10_000_000),
    /** How long the last good catalog read may stand in for a failing catalog. */
    CATALOG_STALE_TTL_MS: millis(60_000, 0, 86_400_000),
    /** Memory the stale copies may take, bodies and headers. */
    CATALOG_STALE_MAX_BYTES: count(16 * 1024 * 1024, 1024 * 1024 * 1024),
    /** Where the operator console's charts come from (Prometheus's query API, reached by the gateway only); unset: no charts. */
    PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: logLevelVar,
  })
  .refine((env) => Boolean(env.JWT_SECRET || env.JWT_JWKS_URL), { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine((env) => !env.AUTH_DEMO_ISSUER || Boolean(env.JWT_SECRET), {
    message: 'the demo issuer signs with JWT_SECRET; set it or AUTH_DEMO_ISSUER=false',
    path: ['AUTH_DEMO_ISSUER'],
  })
  .refine((env) => env.UPSTREAM_READ_TIMEOUT_FLOOR_MS <= env.UPSTREAM_READ_TIMEOUT_MS, {
    message: 'must not exceed UPSTREAM_READ_TIMEOUT_MS',
    path: ['UPSTREAM_READ_TIMEOUT_FLOOR_MS'],
  })
  // The order summary waits for the order, then for its parts.
  .refine((env) => env.UPSTREAM_READ_TIMEOUT_MS + env.SUMMARY_PARTS_TIMEOUT_MS < env.REQUEST_TIMEOUT_MS, {
    message: 'UPSTREAM_READ_TIMEOUT_MS plus SUMMARY_PARTS_TIMEOUT_MS must be less than REQUEST_TIMEOUT_MS (the order summary makes two upstream steps)',
    path: ['REQUEST_TIMEOUT_MS'],
  })
  .refine((env) => env.UPSTREAM_WRITE_TIMEOUT_MS < env.REQUEST_TIMEOUT_MS, { message: 'must exceed UPSTREAM_WRITE_TIMEOUT_MS', path: ['REQUEST_TIMEOUT_MS'] })
  .refine((env) => env.METRICS_PORT === 0 || env.METRICS_PORT !== env.PORT, { message: 'must differ from PORT', path: ['METRICS_PORT'] });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadConfig(gatewayConfigSchema, env);
