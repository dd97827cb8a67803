import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryOf } from '../proxy/forwarding';
import { UpstreamProxy } from '../proxy/upstream-proxy.service';

/** An order's payments: payment (owner or admin, checked there). */
@Controller('api/payments')
export class PaymentsHttpController {
  constructor(private readonly proxy: UpstreamProxy) {}

  @Get()
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('payment', request, reply, { path: `/api/payments${queryOf(request.url)}` });
  }
}
