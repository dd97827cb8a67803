import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkApps, checkEnvironment, checkMigrations, checkNetworkPolicies, checkPodSecurity, containerEnv } from './deploy-consistency';
import { appsInRepo, appsRegistry, ComposeProject, dataServices, K8sObject, readObjects, renderKustomize, resolvedCompose, root } from './deploy-manifests';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('deployment consistency with the code', () => {
  let base: K8sObject[];
  let kind: K8sObject[];
  let compose: ComposeProject;
  const apps = appsInRepo();
  const registry = appsRegistry();

  beforeAll(() => {
    base = renderKustomize(join(root, 'k8s', 'base'));
    kind = renderKustomize(join(root, 'k8s', 'overlays', 'kind'));
    compose = resolvedCompose();
  });

  it('finds the apps to check (every folder of apps/)', () => {
    expect(apps).toEqual(expect.arrayContaining(['api-gateway', 'catalog', 'order', 'payment', 'delivery', 'review']));
  });

  it('deploys every app in compose and Kubernetes alike: image, port, probes, Service, PDB', () => {
    expect(checkApps(apps, registry, base, compose)).toEqual([]);
    expect(checkApps(apps, registry, kind, compose)).toEqual([]);
  });

  it('migrates every data-owning service before it starts, as its own role in its own schema', () => {
    expect(dataServices().length).toBeGreaterThan(0);
    expect(checkMigrations(dataServices(), base, compose)).toEqual([]);
  });

  it('sets only variables the apps read, with the values tools/apps.js gives', () => {
    expect(checkEnvironment(apps, registry, base, compose)).toEqual([]);
    expect(checkEnvironment(apps, registry, kind, compose)).toEqual([]);
  });

  it('turns the demo token issuer on in compose and kind only', () => {
    const issuer = (objects: K8sObject[]) => {
      const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api-gateway');
      return containerEnv(objects, d?.spec.template.spec.containers[0]).AUTH_DEMO_ISSUER;
    };
    expect(issuer(base)).toBe('false');
    expect(issuer(kind)).toBe('true');
    expect(compose.services['api-gateway'].environment?.AUTH_DEMO_ISSUER).toBe('true');
  });

  it('meets the restricted Pod Security Standard the namespace enforces', () => {
    expect(base.find((o) => o.kind === 'Namespace')?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(checkPodSecurity(base)).toEqual([]);
  });

  it('denies all traffic but what each component needs', () => {
    expect(checkNetworkPolicies(base)).toEqual([]);
  });

  it('scales the gateway and the order service, and lets kind reach the gateway and the storefront', () => {
    const hpaTargets = base.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name);
    expect(hpaTargets.sort()).toEqual(['api-gateway', 'order']);
    const cluster = parse(readFileSync(join(root, 'k8s', 'overlays', 'kind', 'kind-cluster.yaml'), 'utf8'));
    const mapped = cluster.nodes[0].extraPortMappings.map((m: { containerPort: number }) => m.containerPort);
    for (const name of ['api-gateway', 'storefront']) {
      const svc = kind.find((o) => o.kind === 'Service' && o.metadata.name === name);
      expect(svc?.spec.type).toBe('NodePort');
      expect(mapped).toContain(svc?.spec.ports[0].nodePort);
    }
  });

  it('keeps placeholders out of the kind overlay and real values out of the base', () => {
    const secret = (objects: K8sObject[]) => objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'shop-secrets');
    const baseValues = Object.values(secret(base)?.stringData ?? {});
    expect(baseValues.every((v) => v.startsWith('REPLACE_ME'))).toBe(true);
    const kindValues = Object.values(secret(kind)?.data ?? {}).map((v) => Buffer.from(v, 'base64').toString());
    expect(kindValues.length).toBe(baseValues.length);
    expect(kindValues.every((v) => v.startsWith('kind-dev'))).toBe(true);
  });

  it('scrapes every app with Prometheus', () => {
    const config = parse(readFileSync(join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8'));
    const targets: string[] = config.scrape_configs.flatMap((j: { static_configs: Array<{ targets: string[] }> }) => j.static_configs.flatMap((s) => s.targets));
    for (const app of apps) expect(targets).toContain(`${app}:${compose.services[app].environment?.PORT}`);
  });

  it('runs the same pinned third-party images in compose and Kubernetes', () => {
    const images = (list: Array<string | undefined>) => new Set(list.filter((i): i is string => typeof i === 'string' && !i.startsWith('shop/')));
    const fromCompose = images(Object.values(compose.services).map((s) => s.image));
    const fromK8s = images(base.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: { image: string }) => c.image)));
    expect([...fromK8s].sort()).toEqual([...fromCompose].sort());
    for (const image of fromCompose) expect(image).toMatch(/:v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/m);
  });
});

describe('the consistency checks fail on broken manifests', () => {
  const registry = appsRegistry();
  let compose: ComposeProject;
  let base: K8sObject[];

  beforeAll(() => {
    compose = resolvedCompose();
    base = renderKustomize(join(root, 'k8s', 'base'));
  });

  it('names a Deployment without probes', () => {
    const broken = readObjects(fixture('deployment-without-probes.yaml'));
    const others = base.filter((o) => !(o.kind === 'Deployment' && o.metadata.name === 'catalog'));
    expect(checkApps(['catalog'], registry, [...others, ...broken], compose)).toEqual([
      'k8s Deployment catalog: no readinessProbe',
      'k8s Deployment catalog: no livenessProbe',
    ]);
  });

  it('names an app that has no Deployment, Service or compose service', () => {
    expect(checkApps(['wishlist'], registry, base, compose)).toEqual(['compose: no service for app wishlist', 'k8s: no Deployment wishlist']);
  });

  it('names a port that disagrees with tools/apps.js', () => {
    const moved = structuredClone(compose);
    moved.services.catalog.environment = { ...moved.services.catalog.environment, PORT: '3999' };
    expect(checkApps(['catalog'], registry, base, moved)).toEqual([
      'compose catalog: PORT 3999, tools/apps.js says 3001',
      'catalog: compose PORT 3999 and k8s port 3001 differ',
    ]);
  });

  it('names a service that starts without waiting for its migration, and a missing Job', () => {
    const eager = structuredClone(compose);
    delete eager.services.order.depends_on?.['order-migrate'];
    const noJob = base.filter((o) => !(o.kind === 'Job' && o.metadata.name === 'order-migrate'));
    const order = dataServices().filter((s) => s.service === 'order');
    expect(checkMigrations(order, noJob, eager)).toEqual([
      'compose order: does not wait for order-migrate (service_completed_successfully)',
      'k8s: no Job order-migrate running shop/order-migrate:dev',
    ]);
  });

  it('names a variable the app does not read', () => {
    const typo = structuredClone(compose);
    typo.services.payment.environment = { ...typo.services.payment.environment, KAFKA_BROKER: 'kafka:9092' };
    expect(checkEnvironment(['payment'], registry, base, typo)).toEqual(['compose payment: sets KAFKA_BROKER, which the app does not read']);
  });

  it('names a gateway upstream that points elsewhere than tools/apps.js does', () => {
    const wrong = structuredClone(compose);
    wrong.services['api-gateway'].environment = { ...wrong.services['api-gateway'].environment, ORDER_URL: 'http://order:3999' };
    expect(checkEnvironment(['api-gateway'], registry, base, wrong)).toEqual(['compose api-gateway: ORDER_URL=http://order:3999, expected http://order:3002']);
  });

  it('names a root container and an open policy', () => {
    const rooted = structuredClone(base);
    const d = rooted.find((o) => o.kind === 'Deployment' && o.metadata.name === 'review');
    if (!d) throw new Error('no review Deployment');
    d.spec.template.spec.securityContext.runAsNonRoot = false;
    expect(checkPodSecurity(rooted)).toEqual(['Deployment/review: runAsNonRoot is not true']);
    const open = structuredClone(base);
    const kafka = open.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafka');
    if (!kafka) throw new Error('no kafka NetworkPolicy');
    delete kafka.spec.ingress[0].from;
    expect(checkNetworkPolicies(open)).toEqual(['NetworkPolicy/kafka: accepts traffic from anywhere for kafka']);
  });
});
