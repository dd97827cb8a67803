import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ZodValidationPipe } from '@shop/platform/http';
import type { UpstreamName } from '../upstreams/upstreams';
import { CanaryRouter } from './canary-router';
import { CanaryBody, canaryBodySchema, ReleaseReport, releaseReportSchema, ReleaseView, upstreamParamSchema } from './release.schemas';

/**
 * Canary releases as the gateway sees them (docs/releases.md): each
 * upstream's stable instance, its canary if one is set and the share of the
 * calls it takes, what each track's breaker counted, and the release tool's
 * last report. The release tool sets and clears canaries here; the console
 * reads it. Admin only, checked at the edge (edge-rules.ts).
 */
@Controller('api/admin/releases')
export class ReleasesHttpController {
  constructor(private readonly router: CanaryRouter) {}

  @Get()
  list(): { releases: ReleaseView[] } {
    return { releases: this.router.views() };
  }

  @Put(':upstream/canary')
  setCanary(
    @Param('upstream', new ZodValidationPipe(upstreamParamSchema, 'upstream')) upstream: UpstreamName,
    @Body(new ZodValidationPipe(canaryBodySchema)) body: CanaryBody,
  ): Promise<ReleaseView> {
    return this.router.setCanary(upstream, body);
  }

  @Delete(':upstream/canary')
  @HttpCode(200)
  async clearCanary(@Param('upstream', new ZodValidationPipe(upstreamParamSchema, 'upstream')) upstream: UpstreamName): Promise<ReleaseView> {
    await this.router.clearCanary(upstream);
    return this.router.view(upstream);
  }

  @Put(':upstream/report')
  report(
    @Param('upstream', new ZodValidationPipe(upstreamParamSchema, 'upstream')) upstream: UpstreamName,
    @Body(new ZodValidationPipe(releaseReportSchema)) body: ReleaseReport,
  ): ReleaseView {
    return this.router.report(upstream, body);
  }
}
