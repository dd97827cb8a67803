import { canaryDeployment, selects } from './k8s-canary';

const stable = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'payment', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'payment', 'shop/track': 'stable' } },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'payment', 'shop/track': 'stable' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'payment', 'shop/track': 'stable' } },
      spec: {
        initContainers: [{ name: 'migrate', image: 'localhost/shop/payment:dev', args: ['migrate', 'payment'] }],
        containers: [{ name: 'payment', image: 'localhost/shop/payment:dev', env: [{ name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'release.track=stable' }] }],
      },
    },
  },
};

describe('the canary Deployment in Kubernetes', () => {
  it("runs the new image in pods of its own track, which the stable Deployment's selector does not take", () => {
    const canary = canaryDeployment(stable, 'localhost/shop/payment:3f2a9c0d1e7b');
    expect(canary.metadata).toEqual({ name: 'payment-canary', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'payment', 'shop/track': 'canary' } });
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.initContainers[0].image).toBe('localhost/shop/payment:3f2a9c0d1e7b');
    expect(canary.spec.template.spec.containers[0]).toMatchObject({ image: 'localhost/shop/payment:3f2a9c0d1e7b', env: [{ name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'release.track=canary' }] });
    expect(selects(stable.spec.selector.matchLabels, canary.spec.template.metadata.labels)).toBe(false);
    expect(selects(canary.spec.selector.matchLabels, stable.spec.template.metadata.labels)).toBe(false);
    // A Service that selects the app by name sends to both.
    expect(selects({ 'app.kubernetes.io/name': 'payment' }, canary.spec.template.metadata.labels)).toBe(true);
    expect(stable.spec.template.spec.containers[0].image).toBe('localhost/shop/payment:dev');
  });

  it('refuses a stable Deployment whose selector would take the canary pods too', () => {
    const wide = structuredClone(stable);
    delete (wide.spec.selector.matchLabels as Record<string, string>)['shop/track'];
    expect(() => canaryDeployment(wide, 'x')).toThrow('k8s canary: Deployment payment does not select the stable track (shop/track: stable), so it would take the canary\'s pods');
  });
});
