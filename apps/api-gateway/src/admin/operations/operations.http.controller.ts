import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationPipe } from '@shop/platform/http';
import { operatorLane } from '../../upstreams/upstreams';
import { UpstreamProxy } from '../../proxy/upstream-proxy.service';
import {
  DlqListQuery,
  dlqListQuerySchema,
  DlqReplayBody,
  dlqReplayBodySchema,
  MessagingStatusQuery,
  messagingStatusQuerySchema,
  READ_MODELS,
  ReadModelName,
  readModelParamSchema,
  RebuildBody,
  rebuildBodySchema,
  RepublishBody,
  republishBodySchema,
} from './operations.schemas';

/**
 * Each service's operator routes (`/admin/dlq`, `/admin/dlq/replay`,
 * `/admin/events/republish`, `/admin/messaging`) under `/api/admin`, the
 * service named in the request; read-model rebuilds go to the service that
 * keeps the read model, each through the service's operator lane (upstreams.ts),
 * never through the breaker customers' calls use. Admin only, checked at the
 * edge (edge-rules.ts) and again by the service.
 */
@Controller('api/admin')
export class OperationsHttpController {
  constructor(private readonly proxy: UpstreamProxy) {}

  @Get('dlq')
  list(
    @Query(new ZodValidationPipe(dlqListQuerySchema, 'query')) query: DlqListQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const limit = query.limit === undefined ? '' : `?limit=${query.limit}`;
    // Reads the service's dead-letter topics to their end through a throw-away consumer group: seconds, not milliseconds.
    return this.proxy.forward(operatorLane(query.service), request, reply, { method: 'GET', path: `/admin/dlq${limit}`, body: null });
  }

  @Post('dlq/replay')
  replay(
    @Body(new ZodValidationPipe(dlqReplayBodySchema)) input: DlqReplayBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { service, ...body } = input;
    return this.proxy.forward(operatorLane(service), request, reply, { path: '/admin/dlq/replay', body });
  }

  @Post('events/republish')
  republish(
    @Body(new ZodValidationPipe(republishBodySchema)) input: RepublishBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { service, ...body } = input;
    return this.proxy.forward(operatorLane(service), request, reply, { path: '/admin/events/republish', body });
  }

  @Get('messaging')
  messaging(
    @Query(new ZodValidationPipe(messagingStatusQuerySchema, 'query')) query: MessagingStatusQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Asks the broker for the offsets of every topic the service consumes.
    return this.proxy.forward(operatorLane(query.service), request, reply, { method: 'GET', path: '/admin/messaging', body: null });
  }

  /** A read model from its owner's topic, or imported from the owner's export API in steps (`nextCursor`). */
  @Post('read-models/:name/rebuild')
  rebuild(
    @Param('name', new ZodValidationPipe(readModelParamSchema, 'read model name')) name: ReadModelName,
    @Body(new ZodValidationPipe(rebuildBodySchema)) body: RebuildBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.proxy.forward(operatorLane(READ_MODELS[name]), request, reply, { path: `/admin/read-models/${name}/rebuild`, body });
  }
}
