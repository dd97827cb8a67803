import type { UpstreamOptions } from '@shop/platform/resilience';
import type { GatewayConfig } from '../config/gateway.config';

/** The services behind the gateway; each has one keep-alive pool and one breaker for customers' calls. */
export const UPSTREAM_NAMES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

/**
 * Operators' calls to a service (dead letters, messaging status, replay,
 * republish, read-model rebuilds) go through a lane of their own: its own
 * small pool, bulkhead and breaker. A slow scan of dead-letter topics or an
 * import that fails can then never open the breaker, nor fill the bulkhead,
 * that customers' calls to the same service go through.
 */
export type OperatorLane = `${UpstreamName}-operator`;
export const operatorLane = (name: UpstreamName): OperatorLane => `${name}-operator`;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function upstreamOptions(config: GatewayConfig): UpstreamOptions[] {
  const urls: Record<UpstreamName, string> = {
    catalog: config.CATALOG_URL,
    order: config.ORDER_URL,
    payment: config.PAYMENT_URL,
    delivery: config.DELIVERY_URL,
    review: config.REVIEW_URL,
  };
  const customers = UPSTREAM_NAMES.map((name) => ({
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
  // Operator calls are few and slow by nature: every read gets the write deadline, four at a time.
  const operators = customers.map((c) => ({
    ...c,
    name: operatorLane(c.name),
    connections: 2,
    capacity: OPERATOR_LANE_CAPACITY,
    readTimeout: { floorMs: config.UPSTREAM_WRITE_TIMEOUT_MS, maxMs: config.UPSTREAM_WRITE_TIMEOUT_MS },
  }));
  return [...customers, ...operators];
}

/** Operator calls in flight per service at most (a console polls five services every few seconds). */
const OPERATOR_LANE_CAPACITY = 8;
