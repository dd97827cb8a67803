import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UpstreamResponse } from '@shop/platform/resilience';
import { CanaryRouter } from '../releases/canary-router';
import type { OperatorLane, UpstreamName } from '../upstreams/upstreams';
import { sendAnswer, sendUnavailable } from './answers';
import { forwardedRequestHeaders } from './forwarding';

export interface UpstreamCall {
  method?: string;
  /** Path and query on the service; the services serve the contract's own paths. */
  path?: string;
  /** A JSON value to send instead of the client's body; `null` sends no body. */
  body?: unknown;
  /** A deadline shorter than the upstream's own. */
  timeoutMs?: number;
}

/**
 * Calls a service for a client request of the routes answered in Nest (the
 * composed summary, the operator routes), through that service's breaker:
 * the stable instance's, or its canary's for the canary's share. The
 * one-call routes are served by edge/proxy-routes.ts.
 */
@Injectable()
export class UpstreamProxy {
  constructor(private readonly releases: CanaryRouter) {}

  /** Any answer the service gave; rejects with an UpstreamError when there was none. */
  call(upstream: UpstreamName | OperatorLane, request: FastifyRequest, call: UpstreamCall = {}): Promise<UpstreamResponse> {
    const payload = call.body === undefined ? request.body : call.body;
    const body = payload === undefined || payload === null ? undefined : JSON.stringify(payload);
    return this.releases.pick(upstream).request({
      method: call.method ?? request.method,
      path: call.path ?? request.url,
      headers: forwardedRequestHeaders(request.headers, { ip: request.socket.remoteAddress ?? '', protocol: request.protocol }, { hasBody: body !== undefined }),
      body,
      client: request.client,
      timeoutMs: call.timeoutMs,
    });
  }

  async forward(upstream: UpstreamName | OperatorLane, request: FastifyRequest, reply: FastifyReply, call: UpstreamCall = {}): Promise<void> {
    let response: UpstreamResponse;
    try {
      response = await this.call(upstream, request, call);
    } catch (err) {
      await sendUnavailable(reply, request, err);
      return;
    }
    await sendAnswer(reply, response);
  }
}
