import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { catalogReadKey } from '../catalog/catalog-read-key';
import type { CatalogReads } from '../catalog/catalog-reads.service';
import { ContractRoute, CONTRACT_ROUTES } from '../docs/contract.routes';
import type { CanaryRouter } from '../releases/canary-router';
import { UPSTREAM_NAMES, UpstreamName } from '../upstreams/upstreams';
import { sendAnswer, sendUnavailable } from '../proxy/answers';
import { forwardedRequestHeaders, queryOf } from '../proxy/forwarding';

const isUpstream = (upstream: ContractRoute['upstream']): upstream is UpstreamName => (UPSTREAM_NAMES as readonly unknown[]).includes(upstream);

/** The contract routes that are one call to one service, on the same method and path: served by the proxy. */
export const PROXIED_ROUTES = CONTRACT_ROUTES.filter((route): route is ContractRoute & { upstream: UpstreamName } => isUpstream(route.upstream));

/** `/api/products/:id/reviews` → params → `/api/products/<id, URL-encoded>/reviews`. */
export function upstreamPath(template: string): (params: Record<string, string>) => string {
  const parts = template.split('/').map((segment) => (segment.startsWith(':') ? { param: segment.slice(1), text: '' } : { param: undefined, text: segment }));
  return (params) => parts.map((part) => (part.param === undefined ? part.text : encodeURIComponent(params[part.param] ?? ''))).join('/');
}

/**
 * The proxied routes, on Fastify itself: no Nest execution context, guard or
 * parameter decorators per request (a sixth of the gateway's busy time when
 * they went through Nest, bench/PROFILE.md). The edge hook has already
 * checked the token and the rate limit; the handler makes one call through
 * the service's breaker and sends the answer back as it is. Each service
 * serves its part of the contract under the contract's own paths, so the
 * upstream path is the route's, rebuilt from its (encoded) parameters, plus
 * the raw query string of a read. Each call goes to the service's stable
 * instance, or to its canary for the canary's share (releases/canary-router.ts).
 */
export function registerProxyRoutes(fastify: FastifyInstance, deps: { releases: CanaryRouter; catalogReads: CatalogReads }): void {
  for (const route of PROXIED_ROUTES) {
    const pathOf = upstreamPath(route.path);
    const read = route.method === 'GET';
    fastify.route({
      method: route.method,
      url: route.path,
      config: { proxied: true },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = request.params as Record<string, string>;
        const path = read ? `${pathOf(params)}${queryOf(request.url)}` : pathOf(params);
        // An image (a picture upload) goes on as its bytes with its content type; anything else is re-serialized JSON.
        const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
        const body = bytes ?? (request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body));
        const call = {
          method: route.method,
          path,
          headers: forwardedRequestHeaders(
            request.headers,
            { ip: request.socket.remoteAddress ?? '', protocol: request.protocol },
            { hasBody: body !== undefined, rawBody: bytes !== undefined },
          ),
          body,
          client: request.client,
        };
        const upstream = deps.releases.pick(route.upstream);
        if (route.staleFallback) {
          const key = catalogReadKey(route.staleFallback, params['id'], request.query as Record<string, string>);
          return deps.catalogReads.serve(upstream, call, key, request, reply);
        }
        try {
          return sendAnswer(reply, await upstream.request(call));
        } catch (err) {
          return sendUnavailable(reply, request, err);
        }
      },
    });
  }
}
