import { drawEdges, NODE, placeNodes, type ServiceMap } from './service-map.model';

const node = (name: string) => ({ name, type: 'service', description: '', owner: 'o', lifecycle: 'production', schema: null, port: null, slos: {}, runbook: null, breaker: null });

const map: ServiceMap = {
  services: ['storefront', 'api-gateway', 'catalog', 'order', 'payment'].map(node),
  edges: [
    { from: 'storefront', to: 'api-gateway', kind: 'call', label: 'HTTP' },
    { from: 'api-gateway', to: 'catalog', kind: 'call', label: 'HTTP' },
    { from: 'api-gateway', to: 'order', kind: 'call', label: 'HTTP' },
    { from: 'order', to: 'catalog', kind: 'call', label: 'HTTP' },
    { from: 'order', to: 'payment', kind: 'topic', label: 'order.orders.v1' },
    { from: 'payment', to: 'order', kind: 'topic', label: 'payment.payments.v1' },
  ],
};

describe('the service map layout', () => {
  it('puts the storefront on the first row, the gateway on the second and the services on the third', () => {
    const { nodes } = placeNodes(map);
    const row = (name: string) => nodes.find((n) => n.name === name)?.y;
    expect(row('storefront')).toBeLessThan(row('api-gateway') as number);
    expect(row('api-gateway')).toBeLessThan(row('catalog') as number);
    expect(new Set(['catalog', 'order', 'payment'].map(row)).size).toBe(1);
    const xs = nodes.filter((n) => n.y === row('catalog')).map((n) => n.x);
    expect(Math.min(...xs.slice(1).map((x, i) => x - xs[i]))).toBeGreaterThanOrEqual(NODE.width);
  });

  it('draws one path per edge, two distinct arcs for topics each way between the same services', () => {
    const edges = drawEdges(map, placeNodes(map).nodes);
    expect(edges).toHaveLength(map.edges.length);
    const [there, back] = edges.filter((e) => e.kind === 'topic').map((e) => e.d);
    expect(there).not.toEqual(back);
    expect(edges.find((e) => e.from === 'storefront')?.d).toMatch(/^M [\d.]+ [\d.]+ L /);
  });
});
