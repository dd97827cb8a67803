import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, ProblemDetails } from '@shop/platform/http';
import { UpstreamError, UpstreamResponse } from '@shop/platform/resilience';
import { forwardedResponseHeaders } from './forwarding';

/** A problem+json answer of the gateway's own. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  detail: string,
  extra: Partial<ProblemDetails> = {},
  headers: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(status)
    .headers({ ...headers, 'content-type': 'application/problem+json' })
    .send(JSON.stringify(problem(status, detail, { instance: request.url, ...extra })));
}

/** A service's answer as it is (status, location, content type, problem bodies), minus hop-by-hop headers. */
export function sendAnswer(reply: FastifyReply, response: UpstreamResponse, extraHeaders: Record<string, string> = {}): FastifyReply | undefined {
  // The gateway's own deadline may have answered already.
  if (reply.sent) return undefined;
  return reply
    .code(response.status)
    .headers({ ...forwardedResponseHeaders(response.headers), ...extraHeaders })
    .send(response.body);
}

/**
 * No answer from a service: 503 with Retry-After when it is down, full or its
 * breaker is open; 429 when the caller alone filled its bulkhead; 504 when it
 * did not answer in time. Never a made-up success. Sent here rather than
 * thrown: an outage is expected, and the breaker already logs its state
 * changes, so each refused request is not an error to log. Anything else is
 * rethrown.
 */
export function sendUnavailable(reply: FastifyReply, request: FastifyRequest, err: unknown): FastifyReply | undefined {
  if (!(err instanceof UpstreamError)) throw err;
  if (reply.sent) return undefined;
  const status = err.code === 'TIMEOUT' ? 504 : err.code === 'CLIENT_OVER_SHARE' ? 429 : 503;
  return sendProblem(
    reply,
    request,
    status,
    err.message,
    { ...(status === 504 ? { title: 'Gateway Timeout' } : {}), upstream: err.upstream, reason: err.code },
    { 'retry-after': String(err.retryAfterSeconds) },
  );
}
