import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '@shop/platform/http';
import { UpstreamError, UpstreamRegistry, UpstreamResponse } from '@shop/platform/resilience';
import type { UpstreamName } from '../upstreams/upstreams';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarding';

export interface UpstreamCall {
  method?: string;
  /** Path and query on the service; the services serve the contract's own paths. */
  path?: string;
  /** A JSON value to send instead of the client's body; `null` sends no body. */
  body?: unknown;
}

/**
 * Calls a service for a client request through that service's breaker, and
 * sends its answer back as it is (status, content type, location, problem body).
 */
@Injectable()
export class UpstreamProxy {
  constructor(@Inject(UpstreamRegistry) private readonly upstreams: UpstreamRegistry) {}

  /** Any answer the service gave; rejects with an UpstreamError when there was none. */
  call(upstream: UpstreamName, request: FastifyRequest, call: UpstreamCall = {}): Promise<UpstreamResponse> {
    const payload = call.body === undefined ? request.body : call.body;
    const body = payload === undefined || payload === null ? undefined : JSON.stringify(payload);
    return this.upstreams.get(upstream).request({
      method: call.method ?? request.method,
      path: call.path ?? request.url,
      headers: forwardedRequestHeaders(request.headers, { ip: request.ip, protocol: request.protocol }, { hasBody: body !== undefined }),
      body,
    });
  }

  async forward(upstream: UpstreamName, request: FastifyRequest, reply: FastifyReply, call: UpstreamCall = {}): Promise<void> {
    let response: UpstreamResponse;
    try {
      response = await this.call(upstream, request, call);
    } catch (err) {
      return sendUnavailable(reply, request, err);
    }
    await sendAnswer(reply, response);
  }
}

export async function sendAnswer(reply: FastifyReply, response: UpstreamResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  // The gateway's own deadline may have answered already.
  if (reply.sent) return;
  await reply
    .code(response.status)
    .headers({ ...forwardedResponseHeaders(response.headers), ...extraHeaders })
    .send(response.body);
}

/**
 * No answer from a service: 503 with Retry-After when it is down, full or its
 * breaker is open, 504 when it did not answer in time. Never a made-up
 * success. Sent here rather than thrown: an outage is expected, and the
 * breaker already logs its state changes, so each refused request is not an
 * error to log. Anything else is rethrown.
 */
export async function sendUnavailable(reply: FastifyReply, request: FastifyRequest, err: unknown): Promise<void> {
  if (!(err instanceof UpstreamError)) throw err;
  if (reply.sent) return;
  const timeout = err.code === 'TIMEOUT';
  const body = problem(timeout ? 504 : 503, err.message, {
    ...(timeout ? { title: 'Gateway Timeout' } : {}),
    instance: request.url,
    upstream: err.upstream,
    reason: err.code,
  });
  await reply
    .code(body.status)
    .header('retry-after', String(err.retryAfterSeconds))
    .header('content-type', 'application/problem+json')
    .send(body);
}
