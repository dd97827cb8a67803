import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTokenVerifier } from '@shop/platform/auth';
import { TokenBucketLimiter } from '@shop/platform/resilience';
import { CatalogReads } from './catalog/catalog-reads.service';
import type { GatewayConfig } from './config/gateway.config';
import { installEdge, RateClass } from './edge/edge-hooks';
import { registerProxyRoutes } from './edge/proxy-routes';
import { CanaryRouter } from './releases/canary-router';

/**
 * What the gateway adds to Fastify before Nest registers its routes: the
 * edge (tokens, rate limits, deadlines) on every route, and the proxied
 * routes. main.ts and the in-process tests both start the gateway through it.
 */
export function prepareGateway(app: NestFastifyApplication, config: GatewayConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  const limiter = new TokenBucketLimiter<RateClass>(
    {
      anonymous: { perSecond: config.RATE_LIMIT_ANONYMOUS_PER_SECOND, burst: config.RATE_LIMIT_ANONYMOUS_BURST },
      read: { perSecond: config.RATE_LIMIT_READ_PER_SECOND, burst: config.RATE_LIMIT_READ_BURST },
      write: { perSecond: config.RATE_LIMIT_WRITE_PER_SECOND, burst: config.RATE_LIMIT_WRITE_BURST },
    },
    { maxClients: config.RATE_LIMIT_MAX_CLIENTS },
  );
  const verify = createTokenVerifier({
    secret: config.JWT_SECRET,
    jwksUrl: config.JWT_JWKS_URL,
    jwksAlgorithms: config.JWT_JWKS_ALGORITHMS,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  installEdge(fastify, { verify, limiter, requestTimeoutMs: config.REQUEST_TIMEOUT_MS });
  registerProxyRoutes(fastify, { releases: app.get(CanaryRouter), catalogReads: app.get(CatalogReads) });
}
