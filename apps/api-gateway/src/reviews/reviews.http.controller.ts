import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from '@shop/platform/auth';
import { queryOf } from '../proxy/forwarding';
import { UpstreamProxy } from '../proxy/upstream-proxy.service';

/** A product's reviews: review. Listing is public; only customers write (the service checks the order). */
@Controller('api/products/:id/reviews')
export class ReviewsHttpController {
  constructor(private readonly proxy: UpstreamProxy) {}

  @Public()
  @Get()
  list(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('review', request, reply, { path: `/api/products/${encodeURIComponent(id)}/reviews${queryOf(request.url)}` });
  }

  @Roles('customer')
  @Post()
  create(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('review', request, reply, { path: `/api/products/${encodeURIComponent(id)}/reviews` });
  }
}
