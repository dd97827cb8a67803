import { z } from 'zod';

/**
 * Every environment variable the storefront's server reads. It validates
 * them itself: the platform's config library is NestJS-side code, out of the
 * storefront's bounds.
 */
const host = z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1');

export const storefrontConfigSchema = z.object({
  /** 0 asks the OS for a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65_535).default(4200),
  /** Loopback unless told otherwise; images set 0.0.0.0, where the container's own network is the boundary. */
  HOST: host,
  /** `/metrics` has a listener of its own, for the scraper only: never on the port people reach. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9465),
  METRICS_HOST: host,
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  /** How long a proxied call may take before the browser gets a 504. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** The trace UI (Zipkin's, `…/zipkin/`) that orders link to; unset: no links. */
  TRACE_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type StorefrontConfig = z.infer<typeof storefrontConfigSchema>;

export class StorefrontConfigError extends Error {}

export function loadStorefrontConfig(env: NodeJS.ProcessEnv = process.env): StorefrontConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = storefrontConfigSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return `${name}=${JSON.stringify(present[name])}: ${issue.message}`;
  });
  throw new StorefrontConfigError(`invalid configuration: ${problems.join('; ')}`);
}
