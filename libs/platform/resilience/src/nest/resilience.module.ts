import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { registerBreakerMetrics } from '../breaker-metrics';
import type { UpstreamOptions } from '../upstream-client';
import { UpstreamRegistry } from '../upstream-registry';

@Injectable()
class UpstreamsLifecycle implements OnModuleDestroy {
  constructor(@Inject(UpstreamRegistry) private readonly upstreams: UpstreamRegistry) {}

  async onModuleDestroy(): Promise<void> {
    await this.upstreams.close();
  }
}

/**
 * The upstreams as one provider (`UpstreamRegistry`), created when the app
 * starts, their breaker metrics and state changes logged, closed at shutdown.
 */
@Module({})
export class ResilienceModule {
  static forRoot(options: { upstreams: UpstreamOptions[]; registry?: Registry }): DynamicModule {
    return {
      module: ResilienceModule,
      global: true,
      providers: [
        {
          provide: UpstreamRegistry,
          useFactory: () => {
            const upstreams = new UpstreamRegistry(options.upstreams);
            if (options.registry) registerBreakerMetrics(options.registry, upstreams);
            logStateChanges(upstreams);
            return upstreams;
          },
        },
        UpstreamsLifecycle,
      ],
      exports: [UpstreamRegistry],
    };
  }
}

function logStateChanges(upstreams: UpstreamRegistry): void {
  const logger = new Logger('resilience');
  for (const client of upstreams.all()) {
    client.onEvent((event) => {
      if (event === 'open') logger.warn(`${client.name}: circuit opened, failing fast for ${client.retryAfterSeconds()} s`);
      else if (event === 'halfOpen') logger.log(`${client.name}: circuit half-open, letting a trial call through`);
      else if (event === 'close') logger.log(`${client.name}: circuit closed`);
    });
  }
}
