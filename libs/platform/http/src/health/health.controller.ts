import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../public.decorator';
import { HEALTH_CHECKS, HealthCheck, runChecks } from './health-check';

@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** The process is up and its event loop answers; restart it if not. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** It can serve requests: the readiness checks passed just now. Take traffic only then. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await runChecks(this.checks.filter((c) => c.readiness));
    await reply.code(report.status === 'ok' ? 200 : 503).send(report);
  }

  /** Every check, readiness and the rest of its work (broker, consumers, outbox): 503 when any fails. For operators, not load balancers. */
  @Get('status')
  async status(@Res() reply: FastifyReply): Promise<void> {
    const report = await runChecks(this.checks);
    await reply.code(report.status === 'ok' ? 200 : 503).send(report);
  }
}
