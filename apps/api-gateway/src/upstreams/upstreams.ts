import type { UpstreamOptions } from '@shop/platform/resilience';
import type { GatewayConfig } from '../config/gateway.config';

/** The services behind the gateway; each has one keep-alive pool and one breaker. */
export const UPSTREAM_NAMES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function upstreamOptions(config: GatewayConfig): UpstreamOptions[] {
  const urls: Record<UpstreamName, string> = {
    catalog: config.CATALOG_URL,
    order: config.ORDER_URL,
    payment: config.PAYMENT_URL,
    delivery: config.DELIVERY_URL,
    review: config.REVIEW_URL,
  };
  return UPSTREAM_NAMES.map((name) => ({
    name,
    baseUrl: urls[name],
    readTimeout: { floorMs: config.UPSTREAM_READ_TIMEOUT_FLOOR_MS, maxMs: config.UPSTREAM_READ_TIMEOUT_MS },
    writeTimeoutMs: config.UPSTREAM_WRITE_TIMEOUT_MS,
    connections: config.UPSTREAM_CONNECTIONS,
    capacity: config.BULKHEAD_CAPACITY,
    clientShare: config.BULKHEAD_CLIENT_SHARE_PERCENT / 100,
    errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENTAGE,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    consecutiveFailures: config.BREAKER_CONSECUTIVE_FAILURES,
    resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
    rollingWindowMs: config.BREAKER_ROLLING_WINDOW_MS,
  }));
}
