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
  // Counted in plain numbers and handed to prom-client when scraped: its label children hash their labels on every
  // increment, two increments per proxied call (fire, then the outcome).
  const counts = new Map(upstreams.all().map((client) => [client.name, new Map<string, { total: number; reported: number }>()]));
  new Counter({
    name: 'circuit_breaker_events_total',
    help: 'Circuit breaker calls, outcomes, rejections and state changes per upstream',
    labelNames: ['upstream', 'event'],
    registers: [registry],
    collect() {
      for (const [upstream, events] of counts) {
        for (const [event, count] of events) {
          this.inc({ upstream, event }, count.total - count.reported);
          count.reported = count.total;
        }
      }
    },
  });
  for (const client of upstreams.all()) {
    const events = counts.get(client.name) as Map<string, { total: number; reported: number }>;
    // Every series exists from the start, so a rate() over it is defined before the first failure.
    const byEvent = {} as Record<BreakerEvent, { total: number; reported: number }>;
    for (const [event, label] of Object.entries(EVENT_LABELS) as Array<[BreakerEvent, string]>) {
      byEvent[event] = { total: 0, reported: 0 };
      events.set(label, byEvent[event]);
    }
    client.onEvent((event) => {
      byEvent[event].total++;
    });
  }
}
