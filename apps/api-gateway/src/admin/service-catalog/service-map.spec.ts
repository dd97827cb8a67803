import { join } from 'node:path';
import type { BreakerSnapshot } from '@shop/platform/resilience';
import { findCatalogRoot, readCatalog } from '@shop/platform/service-catalog';
import { serviceMap } from './service-map';

const root = findCatalogRoot(__dirname) as string;
const breaker = (state: BreakerSnapshot['state']) => ({ state }) as BreakerSnapshot;

describe('the service map', () => {
  const map = serviceMap(readCatalog(root), { catalog: breaker('open'), order: breaker('closed'), 'order-operator': breaker('halfOpen') });

  it('finds the repository catalog from the gateway', () => {
    expect(root).toBe(join(__dirname, '..', '..', '..', '..', '..'));
  });

  it('has every app as a node, with its schema, port, bars, runbook and the breaker in front of it', () => {
    expect(map.services.map((s) => s.name).sort()).toEqual(['api-gateway', 'catalog', 'delivery', 'order', 'payment', 'review', 'storefront']);
    const catalog = map.services.find((s) => s.name === 'catalog');
    expect(catalog).toMatchObject({ schema: 'catalog', port: 3001, owner: 'shop-maintainers', lifecycle: 'production', runbook: 'docs/runbooks.md#catalog', breaker: 'open' });
    expect(catalog?.slos['outbox-publish-lag-p99-ms']).toBe('50');
    expect(map.services.find((s) => s.name === 'order')?.breaker).toBe('closed');
    expect(map.services.find((s) => s.name === 'payment')?.breaker).toBeNull();
    expect(map.services.find((s) => s.name === 'storefront')).toMatchObject({ type: 'website', schema: null });
  });

  it('draws the calls and the topics between them as edges', () => {
    expect(map.edges).toEqual(
      expect.arrayContaining([
        { from: 'storefront', to: 'api-gateway', kind: 'call', label: 'HTTP' },
        { from: 'api-gateway', to: 'payment', kind: 'call', label: 'HTTP' },
        { from: 'order', to: 'catalog', kind: 'call', label: 'HTTP' },
        { from: 'order', to: 'payment', kind: 'topic', label: 'order.orders.v1' },
        { from: 'review', to: 'catalog', kind: 'topic', label: 'review.reviews.v1' },
        { from: 'catalog', to: 'order', kind: 'topic', label: 'catalog.products.v1' },
      ]),
    );
    expect(map.edges).not.toContainEqual(expect.objectContaining({ from: 'payment', to: 'catalog' }));
    expect(map.edges.filter((e) => e.kind === 'topic')).toHaveLength(9);
  });
});
