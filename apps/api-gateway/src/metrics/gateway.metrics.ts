import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@shop/platform/http';

/** What the gateway's fallbacks did (the breakers' own metrics come from the resilience library). */
@Injectable()
export class GatewayMetrics {
  readonly staleServed: Counter<'upstream'>;
  readonly compositionDegraded: Counter<'part'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.staleServed = new Counter({
      name: 'gateway_stale_responses_total',
      help: 'Reads answered from the stale cache because the upstream failed or its breaker was open',
      labelNames: ['upstream'],
      registers: [registry],
    });
    this.compositionDegraded = new Counter({
      name: 'gateway_composition_degraded_total',
      help: 'Composed answers (the order summary) given without one of their parts, by part',
      labelNames: ['part'],
      registers: [registry],
    });
  }
}
