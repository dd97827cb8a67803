import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaleCache, UpstreamClient, UpstreamRequest, UpstreamResponse } from '@shop/platform/resilience';
import type { GatewayConfig } from '../config/gateway.config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { sendAnswer, sendUnavailable } from '../proxy/answers';
import { GATEWAY_CONFIG } from '../upstreams/upstreams';

/** What a stored answer weighs: its body, and its headers roughly. */
const answerBytes = (answer: UpstreamResponse) => answer.body.byteLength + 512;

/**
 * Catalog reads, with the last good answer per request kept for a short
 * while: when the catalog fails (no answer, a 5xx, or its breaker is open)
 * that copy is served, marked stale. Reads are public and the same for every
 * caller, so the normalized request (catalog-read-key.ts) is the whole key.
 * Writes never go through here.
 */
@Injectable()
export class CatalogReads {
  private readonly cache: StaleCache<UpstreamResponse>;

  constructor(
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.cache = new StaleCache({ ttlMs: config.CATALOG_STALE_TTL_MS, maxBytes: config.CATALOG_STALE_MAX_BYTES, sizeOf: answerBytes });
  }

  /** `key` undefined: a request the catalog will refuse, neither cached nor served stale. */
  async serve(catalog: UpstreamClient, call: UpstreamRequest, key: string | undefined, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    let response: UpstreamResponse;
    try {
      response = await catalog.request(call);
    } catch (err) {
      return this.serveStale(reply, key) ?? sendUnavailable(reply, request, err);
    }
    if (response.status >= 500) return this.serveStale(reply, key) ?? sendAnswer(reply, response);
    if (response.status === 200 && key !== undefined) this.cache.set(key, response);
    return sendAnswer(reply, response);
  }

  private serveStale(reply: FastifyReply, key: string | undefined): FastifyReply | undefined {
    const stale = key === undefined ? undefined : this.cache.get(key);
    if (!stale) return undefined;
    this.metrics.staleServed.inc({ upstream: 'catalog' });
    return sendAnswer(reply, stale.value, {
      'x-cache': 'stale',
      warning: '110 - "Response is Stale"',
      age: String(Math.floor(stale.ageMs / 1000)),
    });
  }
}
