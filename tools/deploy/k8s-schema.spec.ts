import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kustomize, root, validateAgainstSchemas } from './deploy-manifests';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** The Kubernetes OpenAPI schemas (kubernetes-models, a current release), unknown fields rejected. */
describe('rendered Kubernetes objects', () => {
  it.each(['k8s/base', 'k8s/overlays/kind'])('all of %s validate against the Kubernetes schemas', (dir) => {
    const rendered = kustomize(join(root, dir));
    expect(rendered.status).toBe(0);
    const results = validateAgainstSchemas(rendered.stdout);
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
  });
});

describe('the schema check fails on a broken object', () => {
  it('rejects a field the schema does not describe, with its path', () => {
    const [result] = validateAgainstSchemas(fixture('deployment-unknown-field.yaml'));
    expect(result.object).toBe('Deployment/catalog');
    expect(result.errors).toEqual([
      '/spec/template/spec/containers/0/env/0/valueFromm: unknown field "valueFromm"',
      '/spec/template/spec/containers/0/readinessProbes: unknown field "readinessProbes"',
    ]);
  });

  it('rejects a value of the wrong type and a missing required field', () => {
    const [result] = validateAgainstSchemas(fixture('deployment-wrong-types.yaml'));
    expect(result.errors).toEqual(
      expect.arrayContaining(['/spec/replicas: type (type="integer")', '/spec/template/spec/containers/0/ports/0: required (missingProperty="containerPort")']),
    );
  });

  it('accepts any keys in maps such as labels, and rejects kinds it has no schema for', () => {
    const results = validateAgainstSchemas(fixture('unknown-kind.yaml'));
    expect(results).toEqual([
      { object: 'ConfigMap/free-form', errors: [] },
      { object: 'Widget/w', errors: ['no schema for shop.example/v1 Widget'] },
    ]);
  });
});
