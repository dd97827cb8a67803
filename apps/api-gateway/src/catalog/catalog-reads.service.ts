import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaleCache, UpstreamResponse } from '@shop/platform/resilience';
import { GatewayMetrics } from '../gateway.metrics';
import { sendAnswer, sendUnavailable, UpstreamProxy } from '../proxy/upstream-proxy.service';
import { GATEWAY_CONFIG } from '../upstreams/upstreams';
import type { GatewayConfig } from '../config/gateway.config';

/**
 * Catalog reads, with the last good answer per URL kept for a short while:
 * when the catalog fails (no answer, a 5xx, or its breaker is open) that copy
 * is served, marked stale. Reads are public and the same for every caller, so
 * the URL is the whole key. Writes never go through here.
 */
@Injectable()
export class CatalogReads {
  private readonly cache: StaleCache<UpstreamResponse>;

  constructor(
    private readonly proxy: UpstreamProxy,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.cache = new StaleCache({ ttlMs: config.CATALOG_STALE_TTL_MS, maxEntries: config.CATALOG_STALE_MAX_ENTRIES });
  }

  async serve(request: FastifyRequest, reply: FastifyReply, path: string): Promise<void> {
    let response: UpstreamResponse;
    try {
      response = await this.proxy.call('catalog', request, { method: 'GET', path, body: null });
    } catch (err) {
      if (await this.serveStale(reply, path)) return;
      return sendUnavailable(reply, request, err);
    }
    if (response.status >= 500 && (await this.serveStale(reply, path))) return;
    if (response.status === 200) this.cache.set(path, response);
    await sendAnswer(reply, response);
  }

  private async serveStale(reply: FastifyReply, path: string): Promise<boolean> {
    const stale = this.cache.get(path);
    if (!stale) return false;
    this.metrics.staleServed.inc({ upstream: 'catalog' });
    await sendAnswer(reply, stale.value, {
      'x-cache': 'stale',
      warning: '110 - "Response is Stale"',
      age: String(Math.floor(stale.ageMs / 1000)),
    });
    return true;
  }
}
