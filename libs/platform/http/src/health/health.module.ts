import { DynamicModule, Module, Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthCheck } from './health-check';
import { HealthController } from './health.controller';

type Token = string | symbol | (abstract new (...args: never[]) => unknown);

@Module({})
export class HealthModule {
  /**
   * @param inject providers to hand to `factory`
   * @param factory builds the readiness checks from those providers
   * @param providers checkers that only health needs (a broker admin client, say)
   */
  static forRoot(options: {
    inject: Token[];
    factory: (...deps: never[]) => HealthCheck[];
    providers?: Provider[];
  }): DynamicModule {
    const checks: Provider = { provide: HEALTH_CHECKS, inject: options.inject, useFactory: options.factory };
    return { module: HealthModule, controllers: [HealthController], providers: [...(options.providers ?? []), checks] };
  }
}
