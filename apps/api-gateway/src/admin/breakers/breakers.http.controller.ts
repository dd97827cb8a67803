import { Controller, Get, Inject } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { BreakerSnapshot, UpstreamRegistry } from '@shop/platform/resilience';

/** Every upstream's breaker: state (closed, open, halfOpen) and the counts of its rolling window. */
@Roles('admin')
@Controller('api/admin/breakers')
export class BreakersHttpController {
  constructor(@Inject(UpstreamRegistry) private readonly upstreams: UpstreamRegistry) {}

  @Get()
  breakers(): Record<string, BreakerSnapshot> {
    return this.upstreams.snapshot();
  }
}
