import { Controller, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from '@shop/platform/auth';
import { queryOf } from '../proxy/forwarding';
import { UpstreamProxy } from '../proxy/upstream-proxy.service';
import { CatalogReads } from './catalog-reads.service';

/** Products: catalog. Reads are public and fall back to a stale copy; writes are admin-only and never do. */
@Controller('api/products')
export class ProductsHttpController {
  constructor(
    private readonly reads: CatalogReads,
    private readonly proxy: UpstreamProxy,
  ) {}

  @Public()
  @Get()
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.reads.serve(request, reply, `/api/products${queryOf(request.url)}`);
  }

  @Public()
  @Get(':id')
  get(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.reads.serve(request, reply, `/api/products/${encodeURIComponent(id)}${queryOf(request.url)}`);
  }

  @Roles('admin')
  @Post()
  create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('catalog', request, reply, { path: '/api/products' });
  }

  @Roles('admin')
  @Patch(':id')
  update(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward('catalog', request, reply, { path: `/api/products/${encodeURIComponent(id)}` });
  }
}
