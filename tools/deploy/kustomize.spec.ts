import { join } from 'node:path';
import { kustomize, renderKustomize, root } from './deploy-manifests';

describe('kubectl kustomize', () => {
  // No Secret in either: the Job makes it in the cluster. A fresh clone renders both, with no file made first.
  it.each([['k8s/base'], ['k8s/overlays/kind']])('renders %s into the shop namespace', (dir) => {
    const objects = renderKustomize(join(root, dir));
    const kinds = new Set(objects.map((o) => o.kind));
    expect(kinds).not.toContain('Secret');
    for (const kind of ['Namespace', 'Deployment', 'Service', 'StatefulSet', 'ConfigMap', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Role', 'Job']) {
      expect(kinds).toContain(kind);
    }
    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced.filter((o) => o.metadata.namespace !== 'shop').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  it('fails on a kustomization with an unknown field, naming it', () => {
    const r = kustomize(join(__dirname, 'fixtures', 'kustomization-unknown-field'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown field \\"resourcez\\"');
  });
});
