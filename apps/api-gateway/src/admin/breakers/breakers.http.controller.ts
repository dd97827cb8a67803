import { Controller, Get, Inject } from '@nestjs/common';
import { BreakerSnapshot, UpstreamRegistry } from '@shop/platform/resilience';

/** Every upstream's breaker: state (closed, open, halfOpen) and the counts of its rolling window. Admin only (edge-rules.ts). */
@Controller('api/admin/breakers')
export class BreakersHttpController {
  constructor(@Inject(UpstreamRegistry) private readonly upstreams: UpstreamRegistry) {}

  @Get()
  breakers(): Record<string, BreakerSnapshot> {
    return this.upstreams.snapshot();
  }
}
