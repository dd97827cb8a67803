import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@shop/platform/auth';
import { queryOf } from '../proxy/forwarding';
import { UpstreamProxy } from '../proxy/upstream-proxy.service';

/** Deliveries: delivery. Listing for the owner or an admin (checked there); moving a parcel on is admin-only. */
@Controller('api')
export class DeliveriesHttpController {
  constructor(private readonly proxy: UpstreamProxy) {}

  @Get('deliveries')
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('delivery', request, reply, { path: `/api/deliveries${queryOf(request.url)}` });
  }

  @Roles('admin')
  @Post('admin/deliveries/:id/advance')
  advance(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('delivery', request, reply, { path: `/api/admin/deliveries/${encodeURIComponent(id)}/advance` });
  }
}
