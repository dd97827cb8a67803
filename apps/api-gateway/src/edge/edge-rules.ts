import { Access, CONTRACT_ROUTES } from '../docs/contract.routes';

/** What the gateway's edge checks for one route before anything else runs. */
export interface EdgeRule {
  access: Access;
  /** Counted against the client's token bucket (probes and the like are not). */
  rateLimited: boolean;
}

/** The gateway's own routes beyond the contract: documentation for anyone; health for probes, never rate limited. */
const OWN_ROUTES: Record<string, EdgeRule> = {
  'GET /docs': { access: 'public', rateLimited: true },
  'GET /docs/json': { access: 'public', rateLimited: true },
  'GET /docs/asyncapi.json': { access: 'public', rateLimited: true },
  'GET /docs/:asset': { access: 'public', rateLimited: true },
  'GET /health/live': { access: 'public', rateLimited: false },
  'GET /health/ready': { access: 'public', rateLimited: false },
  'GET /health/status': { access: 'public', rateLimited: false },
};

const RULES = new Map<string, EdgeRule>([
  ...CONTRACT_ROUTES.map((route): [string, EdgeRule] => [`${route.method} ${route.path}`, { access: route.access, rateLimited: true }]),
  ...Object.entries(OWN_ROUTES),
]);

/**
 * The rule for a route the gateway serves, or undefined for one nobody
 * decided about: the gateway then refuses to start rather than serve it
 * unchecked. HEAD is GET without the body.
 */
export function edgeRule(method: string, path: string): EdgeRule | undefined {
  return RULES.get(`${method === 'HEAD' ? 'GET' : method} ${path}`);
}
