import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@shop/platform/auth';
import { queryOf } from '../proxy/forwarding';
import { UpstreamProxy } from '../proxy/upstream-proxy.service';

/**
 * Orders: order. A token is checked here; who owns which order is the order
 * service's to say (someone else's order is a 404 there).
 */
@Controller('api/orders')
export class OrdersHttpController {
  constructor(private readonly proxy: UpstreamProxy) {}

  @Roles('customer')
  @Post()
  place(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('order', request, reply, { path: '/api/orders' });
  }

  @Get()
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('order', request, reply, { path: `/api/orders${queryOf(request.url)}` });
  }

  @Get(':id')
  get(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('order', request, reply, { path: `/api/orders/${encodeURIComponent(id)}` });
  }

  @Post(':id/cancel')
  cancel(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('order', request, reply, { path: `/api/orders/${encodeURIComponent(id)}/cancel` });
  }
}
