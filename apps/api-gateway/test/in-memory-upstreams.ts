import type { FastifyRequest } from 'fastify';
import { UpstreamRequest, UpstreamResponse, UpstreamTimeoutError, UpstreamUnreachableError } from '@shop/platform/resilience';
import { UpstreamProxy } from '../src/proxy/upstream-proxy.service';
import type { CanaryRouter } from '../src/releases/canary-router';
import type { OperatorLane, UpstreamName } from '../src/upstreams/upstreams';

/**
 * What a service does with one call: answers `status` with `json` (or `text`
 * as it is) after `afterMs`, or gives no answer at all (an UpstreamError, as
 * its breaker or its client would raise it).
 */
export type Reply = { status: number; json?: unknown; text?: string; afterMs?: number } | Error;

export interface Call {
  upstream: string;
  path: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}

/**
 * The services behind the gateway, in memory, reached through the gateway's
 * real UpstreamProxy (its path, headers and deadline handling): each answers
 * as `on(upstream, reply)` says, and one that was given no reply is
 * unreachable. A reply slower than the call's deadline ends as the upstream
 * client ends it, with an UpstreamTimeoutError once the deadline has passed.
 * Replies that take time need Jest's fake timers (their clock is
 * `performance.now` too), so a spec advances time instead of waiting for it.
 */
export class InMemoryUpstreams {
  readonly calls: Call[] = [];
  readonly proxy: UpstreamProxy;
  private readonly replies = new Map<string, (path: string) => Reply>();

  constructor() {
    const client = (upstream: string) => ({ request: (request: UpstreamRequest) => this.request(upstream, request) });
    this.proxy = new UpstreamProxy({ pick: client } as unknown as CanaryRouter);
  }

  on(upstream: UpstreamName | OperatorLane, reply: (path: string) => Reply): void {
    this.replies.set(upstream, reply);
  }

  /** The paths asked of one service, in the order asked. */
  asked(upstream: UpstreamName | OperatorLane): string[] {
    return this.calls.filter((c) => c.upstream === upstream).map((c) => c.path);
  }

  private async request(upstream: string, request: UpstreamRequest): Promise<UpstreamResponse> {
    this.calls.push({ upstream, path: request.path, headers: request.headers ?? {}, timeoutMs: request.timeoutMs });
    const reply = this.replies.get(upstream)?.(request.path) ?? new UpstreamUnreachableError(upstream, `${upstream}: connect ECONNREFUSED`, 1);
    const afterMs = reply instanceof Error ? 0 : (reply.afterMs ?? 0);
    if (request.timeoutMs !== undefined && afterMs > request.timeoutMs) {
      await elapse(request.timeoutMs);
      throw new UpstreamTimeoutError(upstream, `${upstream} gave no answer within ${request.timeoutMs} ms`, 1);
    }
    if (afterMs > 0) await elapse(afterMs);
    if (reply instanceof Error) throw reply;
    return { status: reply.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(reply.text ?? JSON.stringify(reply.json)) };
  }
}

const elapse = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A client's request as the edge hands it on: verified, counted against `client`. */
export function clientRequest(client: string, url: string): FastifyRequest {
  return {
    method: 'GET',
    url,
    headers: { authorization: `Bearer token-of-${client}`, accept: 'application/json', cookie: 'session=1' },
    socket: { remoteAddress: '203.0.113.7' },
    protocol: 'https',
    body: undefined,
    client,
  } as unknown as FastifyRequest;
}
