import { Counter, Gauge, Registry } from 'prom-client';
import type { BreakerEvent, BreakerState } from './upstream-client';
import type { UpstreamRegistry } from './upstream-registry';

const STATE_VALUES: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

const EVENT_LABELS: Record<BreakerEvent, string> = {
  fire: 'fire',
  success: 'success',
  failure: 'failure',
  reject: 'reject',
  timeout: 'timeout',
  bulkheadReject: 'bulkhead_reject',
  open: 'open',
  halfOpen: 'half_open',
  close: 'close',
};

/**
 * `circuit_breaker_state{upstream}` (0 closed, 1 half-open, 2 open), read when
 * scraped, and `circuit_breaker_events_total{upstream,event}`: calls, their
 * outcomes (success, failure, timeout), rejections (reject when open,
 * bulkhead_reject when full) and state changes.
 */
export function registerBreakerMetrics(registry: Registry, upstreams: UpstreamRegistry): void {
  new Gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
    collect() {
      for (const client of upstreams.all()) this.set({ upstream: client.name }, STATE_VALUES[client.state]);
    },
  });
  const events = new Counter({
    name: 'circuit_breaker_events_total',
    help: 'Circuit breaker calls, outcomes, rejections and state changes per upstream',
    labelNames: ['upstream', 'event'],
    registers: [registry],
  });
  for (const client of upstreams.all()) {
    // One child per series, made once: labelling on every call costs a hash of the labels per event.
    const children = Object.fromEntries(
      Object.entries(EVENT_LABELS).map(([event, label]) => [event, events.labels({ upstream: client.name, event: label })]),
    ) as Record<BreakerEvent, Counter.Internal>;
    // Every series exists from the start, so a rate() over it is defined before the first failure.
    for (const child of Object.values(children)) child.inc(0);
    client.onEvent((event) => children[event].inc());
  }
}
