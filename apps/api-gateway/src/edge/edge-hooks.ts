import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { AuthError, bearerToken, Principal, TokenVerifier } from '@shop/platform/auth';
import type { TokenBucketLimiter } from '@shop/platform/resilience';
import { sendProblem } from '../proxy/answers';
import { EdgeRule, edgeRule } from './edge-rules';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, on routes that need a token. */
    principal?: Principal;
    /** Who the rate limit and the bulkhead share count this request against: the customer, or the address. */
    client?: string;
  }
  interface FastifyContextConfig {
    /** A route answered straight from one upstream call, whose own deadline bounds it. */
    proxied?: boolean;
  }
}

/** Requests without a token, per address; reads and writes with one, per customer. */
export type RateClass = 'anonymous' | 'read' | 'write';

export interface EdgeOptions {
  verify: TokenVerifier;
  limiter: TokenBucketLimiter<RateClass>;
  /** The gateway's own deadline for routes that are not a single upstream call (the summary, the docs...). */
  requestTimeoutMs: number;
}

const EDGE = Symbol('edge');

/**
 * The gateway's front door, run before any handler, Nest's or the proxy's:
 * the token (verified, role checked) and the client's token bucket, in one
 * onRequest hook per route built when the route is registered. A route
 * without a rule (edge-rules.ts) stops the gateway at start: nothing is
 * served unchecked.
 */
export function installEdge(fastify: FastifyInstance, options: EdgeOptions): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    if (existing.some((hook) => (hook as { [EDGE]?: boolean })[EDGE])) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const rule = edgeRule(methods[0], route.url);
    if (!rule || methods.some((method) => edgeRule(method, route.url) !== rule)) {
      throw new Error(`api-gateway: ${methods.join(',')} ${route.url} has no access rule (apps/api-gateway/src/edge/edge-rules.ts)`);
    }
    const hooks: onRequestHookHandler[] = [edgeHook(rule, options)];
    if (!route.config?.proxied) hooks.push(deadlineHook(options.requestTimeoutMs));
    route.onRequest = [...hooks, ...existing] as RouteOptions['onRequest'];
  });
}

function edgeHook(rule: EdgeRule, { verify, limiter }: EdgeOptions): onRequestHookHandler {
  const refuseOverLimit = (request: FastifyRequest, reply: FastifyReply, kind: RateClass, waitMs: number) => {
    const { perSecond, burst } = limiter.rule(kind);
    const who = kind === 'anonymous' ? 'address' : 'customer';
    sendProblem(reply, request, 429, `too many requests: ${burst} at once, then ${perSecond} a second per ${who} for ${kind === 'anonymous' ? 'requests without a token' : `${kind}s`}`, {}, {
      'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
    });
  };

  const hook = function (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    if (rule.access === 'public') {
      // A token on a public route is not checked: the address is the client.
      const client = (request.client = request.ip);
      if (rule.rateLimited) {
        const waitMs = limiter.take('anonymous', client);
        if (waitMs > 0) return refuseOverLimit(request, reply, 'anonymous', waitMs);
      }
      return done();
    }
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      sendProblem(reply, request, 401, 'a bearer token is required');
      return;
    }
    verify(token).then(
      (principal) => {
        if (rule.access !== 'token' && principal.role !== rule.access) {
          sendProblem(reply, request, 403, `this needs the ${rule.access} role`);
          return;
        }
        request.principal = principal;
        request.client = principal.sub;
        const kind: RateClass = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
        const waitMs = rule.rateLimited ? limiter.take(kind, principal.sub) : 0;
        if (waitMs > 0) return refuseOverLimit(request, reply, kind, waitMs);
        done();
      },
      (err: unknown) => {
        if (err instanceof AuthError) sendProblem(reply, request, err.status, err.message);
        else done(err as Error);
      },
    );
  };
  return Object.assign(hook, { [EDGE]: true }) as onRequestHookHandler;
}

/** A request not answered within the deadline gets a 504, whatever it is waiting for; upstream calls time out well before. */
function deadlineHook(timeoutMs: number): onRequestHookHandler {
  return function (request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const timer = setTimeout(() => {
      if (reply.sent) return;
      sendProblem(reply, request, 504, `the gateway could not answer within ${timeoutMs} ms`, { title: 'Gateway Timeout' });
    }, timeoutMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  } as onRequestHookHandler;
}
