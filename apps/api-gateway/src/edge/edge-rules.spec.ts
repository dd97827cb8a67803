import { CONTRACT_ROUTES } from '../docs/contract.routes';
import { edgeRule } from './edge-rules';

describe('edge rules', () => {
  it('gives every contract route the access rule of the contract, rate limited', () => {
    for (const route of CONTRACT_ROUTES) expect(edgeRule(route.method, route.path)).toEqual({ access: route.access, rateLimited: true });
  });

  it('keeps health probes out of the rate limits, and HEAD follows GET', () => {
    expect(edgeRule('GET', '/health/ready')).toEqual({ access: 'public', rateLimited: false });
    expect(edgeRule('HEAD', '/api/orders/:id')).toEqual({ access: 'token', rateLimited: true });
  });

  it('has no rule for a route nobody decided about, and none for metrics, which live on their own listener', () => {
    expect(edgeRule('GET', '/metrics')).toBeUndefined();
    expect(edgeRule('DELETE', '/api/orders/:id')).toBeUndefined();
  });
});
