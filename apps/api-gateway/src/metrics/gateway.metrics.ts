import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@shop/platform/http';

/** What the gateway's fallbacks did (the breakers' own metrics come from the resilience library). */
@Injectable()
export class GatewayMetrics {
  readonly staleServed: Counter<'upstream'>;
  readonly summaryDegraded: Counter<'part'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.staleServed = new Counter({
      name: 'gateway_stale_responses_total',
      help: 'Reads answered from the stale cache because the upstream failed or its breaker was open',
      labelNames: ['upstream'],
      registers: [registry],
    });
    this.summaryDegraded = new Counter({
      name: 'gateway_summary_degraded_total',
      help: 'Order summaries answered without one of their parts, by part',
      labelNames: ['part'],
      registers: [registry],
    });
  }
}
