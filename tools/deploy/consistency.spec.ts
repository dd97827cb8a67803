import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkApps,
  checkComposeSecrets,
  checkConsumerScaling,
  checkEnvironment,
  checkMetricsListeners,
  checkKafkaHealth,
  checkKindImages,
  checkKubernetesSecrets,
  checkMigrations,
  checkNetworkPolicies,
  checkServiceImages,
  checkPodSecurity,
  checkPreStop,
  checkPrometheusDiscovery,
  checkPublishedPorts,
  checkSecretsPerContainer,
  checkTrustedProxies,
  appShutdownSeconds,
  containerEnv,
  appImage,
  appImages,
  metricsPort,
} from './deploy-consistency';
import { canaryDeployment, selects } from '@shop/platform/release';
import { appsInRepo, appsRegistry, COMPOSE_FILE, ComposeProject, dataServices, K8sObject, readObjects, readYaml, renderKustomize, resolvedCompose, root, secretsMade, validateAgainstSchemas } from './deploy-manifests';

const fixture = (name: string) => join(__dirname, 'fixtures', name);
/** The host ports the README documents: SHOP_<NAME>_PORT, with these defaults. */
const PUBLISHED = { 'api-gateway': 3000, storefront: 4200, zipkin: 9411, prometheus: 9090 };

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

  it('builds one image per app, once each, under a name no registry resolves', () => {
    expect(appImages(compose).sort()).toEqual(apps.map((app) => `localhost/shop/${app}:dev`).sort());
    expect(checkServiceImages(apps, compose)).toEqual([]);
  });

  it("deploys every app in compose and Kubernetes alike: the app's own image, port, probes, Service, PDB, scrape annotations", () => {
    expect(checkApps(apps, registry, base, compose)).toEqual([]);
    expect(checkApps(apps, registry, kind, compose)).toEqual([]);
  });

  it('migrates every data-owning service before it starts, as its own role in its own schema', () => {
    expect(dataServices().length).toBeGreaterThan(0);
    expect(checkMigrations(dataServices(), base, compose)).toEqual([]);
  });

  it('sets only variables the apps read, with the values tools/apps.ts gives', () => {
    expect(checkEnvironment(apps, registry, base, compose)).toEqual([]);
    expect(checkEnvironment(apps, registry, kind, compose)).toEqual([]);
  });

  it('keeps every secret out of the files: compose makes its own, the base has none, kind generates them', () => {
    expect(secretsMade()).toEqual(expect.arrayContaining(['JWT_SECRET', 'POSTGRES_PASSWORD', ...dataServices().map((s) => `${s.role.toUpperCase()}_PASSWORD`)]));
    expect(checkComposeSecrets(compose, secretsMade())).toEqual([]);
    expect(checkKubernetesSecrets(base, kind, secretsMade())).toEqual([]);
  });

  it('gives each compose container only the secrets it reads', () => {
    expect(checkSecretsPerContainer(compose, secretsMade())).toEqual([]);
  });

  it('believes the X-Forwarded-For of the proxies in front of the gateway, and of nobody else', () => {
    expect(checkTrustedProxies(compose, base, kind, readYaml('k8s', 'overlays', 'kind', 'kind-cluster.yaml'))).toEqual([]);
  });

  it("takes every app pod out of the endpoints before SIGTERM, with a grace period that covers its drain", () => {
    expect(appShutdownSeconds()).toBeGreaterThan(0);
    expect(checkPreStop(base, appShutdownSeconds())).toEqual([]);
  });

  it("lets a canary Deployment of each app run beside the stable one, behind the same Service, covered by the same policies", () => {
    for (const app of apps) {
      const stable = kind.find((o) => o.kind === 'Deployment' && o.metadata.name === app) as K8sObject;
      const canary = canaryDeployment(stable, `localhost/shop/${app}:0123456789ab`);
      expect(validateAgainstSchemas(JSON.stringify(canary))).toEqual([{ object: `Deployment/${app}-canary`, errors: [] }]);
      const pods = canary.spec.template.metadata.labels;
      expect([app, selects(stable.spec.selector.matchLabels, pods)]).toEqual([app, false]);
      const service = kind.find((o) => o.kind === 'Service' && o.metadata.name === app);
      expect([app, selects(service?.spec.selector, pods), selects(service?.spec.selector, stable.spec.template.metadata.labels)]).toEqual([app, true, true]);
      const coveredBy = (labels: Record<string, string>) =>
        kind
          .filter((o) => (o.kind === 'NetworkPolicy' || o.kind === 'PodDisruptionBudget') && Object.keys(o.spec?.podSelector?.matchLabels ?? o.spec?.selector?.matchLabels ?? {}).length > 0)
          .filter((o) => selects(o.spec.podSelector?.matchLabels ?? o.spec.selector?.matchLabels, labels))
          .map((o) => `${o.kind}/${o.metadata.name}`);
      expect([app, coveredBy(pods)]).toEqual([app, coveredBy(stable.spec.template.metadata.labels)]);
      expect(canary.spec.template.metadata.annotations).toEqual(stable.spec.template.metadata.annotations);
    }
  });

  it('publishes ports on 127.0.0.1 only, at configurable host ports', () => {
    expect(checkPublishedPorts(compose, readFileSync(COMPOSE_FILE, 'utf8'), PUBLISHED)).toEqual([]);
  });

  it('checks Kafka with a request, not with a second JVM', () => {
    expect(checkKafkaHealth(base, compose)).toEqual([]);
  });

  it("scrapes the gateway's metrics on their own listener, reachable by Prometheus alone", () => {
    expect(checkMetricsListeners(base, compose, readYaml('deploy', 'prometheus', 'compose.yml'))).toEqual([]);
  });

  it('lets Prometheus find every app pod through the Kubernetes API', () => {
    expect(checkPrometheusDiscovery(base, readYaml('deploy', 'prometheus', 'kubernetes.yml'), registry)).toEqual([]);
  });

  it('scrapes every app with Prometheus in compose, on the port that serves its metrics', () => {
    const config = readYaml('deploy', 'prometheus', 'compose.yml');
    const targets = config.scrape_configs.flatMap((j: { dns_sd_configs: Array<{ names: string[]; port: number }> }) => j.dns_sd_configs.flatMap((c) => c.names.map((n) => `${n}:${c.port}`)));
    for (const app of apps) expect(targets).toContain(`${app}:${metricsPort(app, Number(compose.services[app].environment?.PORT))}`);
  });

  it("loads the apps' images into kind and never pulls them", () => {
    expect(checkKindImages(kind)).toEqual([]);
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

  it('scales the gateway and the order service, and lets kind reach the gateway and the storefront on the documented ports', () => {
    const hpaTargets = base.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name);
    expect(hpaTargets.sort()).toEqual(['api-gateway', 'order']);
    const cluster = readYaml('k8s', 'overlays', 'kind', 'kind-cluster.yaml');
    const mappings: Array<{ containerPort: number; hostPort: number; listenAddress: string }> = cluster.nodes[0].extraPortMappings;
    for (const [name, hostPort] of [
      ['api-gateway', 3000],
      ['storefront', 4200],
    ] as const) {
      const svc = kind.find((o) => o.kind === 'Service' && o.metadata.name === name);
      expect(svc?.spec.type).toBe('NodePort');
      expect(mappings.find((m) => m.containerPort === svc?.spec.ports[0].nodePort)).toMatchObject({ hostPort, listenAddress: '127.0.0.1' });
    }
  });

  it('runs the same pinned third-party images in compose and Kubernetes', () => {
    const images = (list: Array<string | undefined>) => new Set(list.filter((i): i is string => typeof i === 'string' && !i.startsWith('localhost/')));
    const fromCompose = images(Object.values(compose.services).map((s) => s.image));
    const fromK8s = images(base.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: { image: string }) => c.image)));
    expect([...fromK8s].sort()).toEqual([...fromCompose].sort());
    for (const image of fromCompose) expect(image).toMatch(/:v?\d+\.\d+(\.\d+)?(-[a-z]+)*$/);
  });
});

describe('the consistency checks fail on broken manifests', () => {
  const registry = appsRegistry();
  let compose: ComposeProject;
  let base: K8sObject[];
  let kind: K8sObject[];
  const deployment = (objects: K8sObject[], name: string) => {
    const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (!d) throw new Error(`no ${name} Deployment`);
    return d;
  };

  beforeAll(() => {
    compose = resolvedCompose();
    base = renderKustomize(join(root, 'k8s', 'base'));
    kind = renderKustomize(join(root, 'k8s', 'overlays', 'kind'));
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

  it('names a port that disagrees with tools/apps.ts, and pods Prometheus cannot find', () => {
    const moved = structuredClone(compose);
    moved.services.catalog.environment = { ...moved.services.catalog.environment, PORT: '3999' };
    expect(checkApps(['catalog'], registry, base, moved)).toEqual([
      'compose catalog: PORT 3999, tools/apps.ts says 3001',
      'catalog: compose PORT 3999 and k8s port 3001 differ',
    ]);
    const hidden = structuredClone(base);
    delete deployment(hidden, 'api-gateway').spec.template.metadata.annotations;
    expect(checkApps(['api-gateway'], registry, hidden, compose)).toEqual(['k8s Deployment api-gateway: pods not annotated for Prometheus on port 9464, path /metrics']);
  });

  it('names an app that runs another image or another app', () => {
    const other = structuredClone(compose);
    other.services.order.image = 'shop/order:dev';
    const swapped = structuredClone(base);
    deployment(swapped, 'order').spec.template.spec.containers[0].args = ['serve', 'payment'];
    expect(checkApps(['order'], registry, swapped, other)).toEqual([
      'compose order: does not run localhost/shop/order:dev with serve order',
      'k8s Deployment order: its container does not run localhost/shop/order:dev with serve order',
    ]);
    const platform = structuredClone(base);
    deployment(platform, 'order').spec.template.spec.containers[0].image = 'localhost/shop/platform:dev';
    expect(checkApps(['order'], registry, platform, compose)).toEqual(['k8s Deployment order: its container does not run localhost/shop/order:dev with serve order']);
  });

  it('names a service that starts without waiting for its migration, and one without its init container', () => {
    const eager = structuredClone(compose);
    delete eager.services.order.depends_on?.['order-migrate'];
    const noInit = structuredClone(base);
    delete deployment(noInit, 'order').spec.template.spec.initContainers;
    const order = dataServices().filter((s) => s.service === 'order');
    expect(checkMigrations(order, noInit, eager)).toEqual([
      'compose order: does not wait for order-migrate (service_completed_successfully)',
      'k8s Deployment order: no init container running localhost/shop/order:dev with migrate order',
    ]);
  });

  it('names a password written into a URL, and another role', () => {
    const written = structuredClone(compose);
    written.services['review-migrate'].environment = { ...written.services['review-migrate'].environment, DATABASE_URL: 'postgresql://svc_review:hunter2@postgres:5432/shop' };
    const review = dataServices().filter((s) => s.service === 'review');
    expect(checkMigrations(review, base, written)).toEqual([
      'compose review-migrate: DATABASE_URL=postgresql://svc_review:hunter2@postgres:5432/shop, expected postgresql://svc_review@postgres:5432/shop',
    ]);
    const borrowed = structuredClone(base);
    const env = deployment(borrowed, 'review').spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'DATABASE_PASSWORD');
    env.valueFrom.secretKeyRef.key = 'SVC_ORDER_PASSWORD';
    expect(checkMigrations(review, borrowed, compose)).toEqual(['k8s Deployment review: the database password does not come from the secret SVC_REVIEW_PASSWORD']);
  });

  it('names a migration Job, which the init containers replace', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'order-migrate' }, spec: { template: { spec: { containers: [{ name: 'm', args: ['migrate', 'order'] }] } } } };
    expect(checkMigrations([], [...base, job], compose)).toEqual(['k8s Job order-migrate: migrations run in the services\' init containers']);
  });

  it("names an app built twice or not at all, a pullable name, a service that may start before its image exists, and another app's code in an image", () => {
    const twice = structuredClone(compose);
    twice.services.order.build = { context: '.', args: { APP: 'order' } };
    delete twice.services['api-gateway'].build;
    expect(checkServiceImages(['order', 'api-gateway'], twice)).toEqual([
      "compose: 2 services build order's image; one does",
      "compose: 0 services build api-gateway's image; one does",
      'compose api-gateway: runs localhost/shop/api-gateway:dev, which no service builds',
    ]);
    const pullable = structuredClone(compose);
    for (const s of Object.values(pullable.services)) if (s.image === appImage(compose, 'catalog')) s.image = 'shop/catalog:dev';
    delete pullable.services.catalog.depends_on;
    expect(checkServiceImages(['catalog'], pullable)).toEqual([
      "compose catalog-migrate: builds catalog's image as shop/catalog:dev, not localhost/shop/catalog:<version>",
      'compose catalog: runs shop/catalog:dev without depending on catalog-migrate, which builds it',
    ]);
    const mixed = structuredClone(compose);
    mixed.services['review-migrate'].command = ['migrate', 'order'];
    expect(checkServiceImages(['review'], mixed)).toEqual(["compose review-migrate: runs migrate order in review's image"]);
  });

  it('names a secret written into compose, one read from elsewhere, and one the maker does not make', () => {
    const written = structuredClone(compose);
    written.services.catalog.environment = { ...written.services.catalog.environment, JWT_SECRET: 'change-me-0123456789abcdef0123456789' };
    written.services.secrets.environment = { ...written.services.secrets.environment, POSTGRES_PASSWORD: 'postgres' };
    written.services.order.environment = { ...written.services.order.environment, JWT_SECRET_FILE: '/etc/jwt' };
    written.services.payment.volumes = ['secrets-payment-db:/run/shop-secrets/payment-db', 'secrets-jwt:/run/shop-secrets/jwt:ro'];
    expect(checkComposeSecrets(written, secretsMade())).toEqual([
      'compose secrets: POSTGRES_PASSWORD has a value in the file',
      'compose catalog: JWT_SECRET is set in the file; read it from /run/shop-secrets (JWT_SECRET_FILE)',
      'compose order: JWT_SECRET_FILE=/etc/jwt is no secret make-secrets.sh makes',
      'compose payment: mounts secrets-payment-db writable',
    ]);
    expect(checkComposeSecrets(compose, [...secretsMade(), 'STRIPE_KEY'])[0]).toMatch(/^compose secrets: takes .+, make-secrets.sh makes .+STRIPE_KEY$/);
  });

  it('names a Secret in the manifests, a key the Job does not make, and a Job that may do more than make it', () => {
    const withSecret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-secrets' }, stringData: { JWT_SECRET: 'REPLACE_ME' } };
    const readsMore = structuredClone(base);
    deployment(readsMore, 'payment').spec.template.spec.containers[0].env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'STRIPE_KEY' } } });
    expect(checkKubernetesSecrets([...readsMore, withSecret], kind, secretsMade())).toEqual([
      'k8s base: Secret shop-secrets in the manifests',
      'k8s Deployment/payment: reads shop-secrets/STRIPE_KEY, which the secrets Job does not make',
    ]);
    const greedy = structuredClone(base);
    const role = greedy.find((o) => o.kind === 'Role' && o.metadata.name === 'secrets-maker') as K8sObject & { rules: Array<Record<string, string[]>> };
    role.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'get'] });
    expect(checkKubernetesSecrets(greedy, kind, secretsMade())).toEqual([
      'k8s Job shop-secrets: service account secrets-maker may do more than it needs ({"apiGroups":[""],"resources":["secrets"],"verbs":["list","get"]})',
    ]);
    const none = base.filter((o) => o.kind !== 'Job');
    expect(checkKubernetesSecrets(none, kind, secretsMade())).toEqual(['k8s base: no Job makes shop-secrets (make-secrets.sh env-file, then k8s-secret.js)']);
  });

  it('names a container given secrets it does not read, and one that reads a secret none of its volumes holds', () => {
    const shared = structuredClone(compose);
    shared.services['api-gateway'].volumes = [...(shared.services['api-gateway'].volumes ?? []), 'secrets-postgres:/run/shop-secrets/postgres:ro'];
    shared.services.review.environment = { ...shared.services.review.environment, DATABASE_PASSWORD_FILE: '/run/shop-secrets/order-db/SVC_ORDER_PASSWORD' };
    const databasePasswords = secretsMade()
      .filter((n) => n !== 'JWT_SECRET')
      .sort()
      .join(', ');
    expect(checkSecretsPerContainer(shared, secretsMade()).sort()).toEqual([
      `compose api-gateway: is given ${databasePasswords}, which it does not read`,
      'compose review: is given SVC_REVIEW_PASSWORD, which it does not read',
      'compose review: reads /run/shop-secrets/order-db/SVC_ORDER_PASSWORD, which none of its volumes holds',
    ]);
    // One volume with every secret for everyone, as compose had it before.
    const one = structuredClone(compose);
    one.services.secrets.command = ['dir', '/run/shop-secrets/all'];
    for (const s of Object.values(one.services)) {
      s.volumes = (s.volumes ?? []).map((v) => (v.split(':')[1]?.startsWith('/run/shop-secrets/') ? `secrets:/run/shop-secrets/all${v.endsWith(':ro') ? ':ro' : ''}` : v));
      for (const [k, v] of Object.entries(s.environment ?? {})) if (k.endsWith('_FILE')) (s.environment as Record<string, string>)[k] = `/run/shop-secrets/all/${v.split('/').pop()}`;
    }
    expect(checkSecretsPerContainer(one, secretsMade())).toContain(`compose api-gateway: is given ${databasePasswords}, which it does not read`);
  });

  it('names a gateway that believes no proxy, or one that is none, and a pod network it does not trust', () => {
    const cluster = readYaml('k8s', 'overlays', 'kind', 'kind-cluster.yaml');
    const unset = structuredClone(compose);
    delete unset.services['api-gateway'].environment?.TRUSTED_PROXIES;
    const noConfig = structuredClone(base);
    const config = noConfig.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'api-gateway-config');
    delete config?.data?.TRUSTED_PROXIES;
    expect(checkTrustedProxies(unset, noConfig, kind, cluster)).toEqual([
      'compose api-gateway: TRUSTED_PROXIES (unset) does not name storefront, which proxies to it',
      'k8s base api-gateway: TRUSTED_PROXIES is not set (the ingress and the storefront would be one client)',
    ]);
    const wrong = structuredClone(compose);
    wrong.services['api-gateway'].environment = { ...wrong.services['api-gateway'].environment, TRUSTED_PROXIES: 'storefront,otel-collector' };
    expect(checkTrustedProxies(wrong, base, kind, { ...cluster, networking: { podSubnet: '10.96.0.0/12' } })).toEqual([
      'compose api-gateway: TRUSTED_PROXIES trusts otel-collector, which is no proxy of the stack',
      'k8s kind api-gateway: TRUSTED_PROXIES (10.244.0.0/16) does not cover the pod network 10.96.0.0/12',
    ]);
  });

  it('names an app pod that gets SIGTERM while still in the endpoints, or is killed before it has drained', () => {
    const abrupt = structuredClone(base);
    delete deployment(abrupt, 'order').spec.template.spec.containers[0].lifecycle;
    deployment(abrupt, 'payment').spec.template.spec.terminationGracePeriodSeconds = 10;
    expect(checkPreStop(abrupt, 15)).toEqual([
      'k8s Deployment order: no preStop sleep of at least 3 s before SIGTERM (null)',
      "k8s Deployment payment: terminationGracePeriodSeconds 10 does not cover the preStop sleep (5 s) and the app's shutdown (15 s)",
    ]);
  });

  it('names a port published beyond 127.0.0.1 or at a fixed host port', () => {
    const open = structuredClone(compose);
    open.services.storefront.ports = ['4200:4200/tcp'];
    const text = readFileSync(COMPOSE_FILE, 'utf8').replace('"127.0.0.1:${SHOP_ZIPKIN_PORT:-9411}:', '"127.0.0.1:9411:');
    expect(checkPublishedPorts(open, text, PUBLISHED)).toEqual([
      'compose storefront: publishes 4200:4200/tcp beyond 127.0.0.1',
      'compose zipkin: host port not from ${SHOP_ZIPKIN_PORT:-9411}',
    ]);
  });

  it('names a Kafka health check that starts a JVM', () => {
    const heavy = structuredClone(compose);
    heavy.services.kafka.healthcheck = { test: ['CMD-SHELL', '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092'] };
    expect(checkKafkaHealth(base, heavy)).toEqual([
      'compose kafka: the health check starts a JVM (CMD-SHELL /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092)',
      'compose kafka: the health check is not deploy/kafka/healthcheck.sh',
    ]);
  });

  it('names metrics listeners that are published, unreachable or open to all', () => {
    const published = structuredClone(compose);
    published.services['api-gateway'].ports = ['127.0.0.1:3000:3000/tcp', '127.0.0.1:9464:9464/tcp'];
    delete published.services['api-gateway'].environment?.METRICS_HOST;
    const open = structuredClone(base);
    const metrics = open.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'apps-metrics');
    if (!metrics) throw new Error('no apps-metrics policy');
    delete metrics.spec.ingress[0].from;
    expect(checkMetricsListeners(open, published, { scrape_configs: [] })).toEqual([
      'compose api-gateway: METRICS_HOST is not 0.0.0.0',
      'compose api-gateway: publishes 9464',
      'compose prometheus: does not scrape api-gateway:9464',
      'compose prometheus: does not scrape storefront:9465',
      'NetworkPolicy/apps-metrics: lets others than Prometheus reach 9464',
      'NetworkPolicy/apps-metrics: lets others than Prometheus reach 9465',
    ]);
  });

  it('names Prometheus scraping Service addresses without the right to find pods', () => {
    const blind = structuredClone(base).filter((o) => o.kind !== 'Role');
    const staticConfig = { scrape_configs: [{ job_name: 'order', static_configs: [{ targets: ['order:3002'] }] }] };
    expect(checkPrometheusDiscovery(blind, staticConfig, [])).toEqual([
      'k8s prometheus: static targets (Service addresses mix the replicas)',
      'k8s prometheus: no kubernetes_sd_configs for the pods of namespace shop',
      'k8s prometheus: service account prometheus may not list and watch pods',
    ]);
  });

  it('names a kind container that may pull the platform image', () => {
    const pulling = structuredClone(kind);
    deployment(pulling, 'delivery').spec.template.spec.initContainers[0].imagePullPolicy = 'IfNotPresent';
    expect(checkKindImages(pulling)).toEqual(['k8s kind Deployment/delivery migrate: imagePullPolicy IfNotPresent, expected Never']);
  });

  it('names a consumer that scales past its partitions', () => {
    const wide = structuredClone(base);
    const hpa = wide.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === 'order');
    if (!hpa) throw new Error('no order HPA');
    hpa.spec.maxReplicas = 4;
    expect(checkConsumerScaling(wide, ['order', 'payment'], 3)).toEqual(['order: scales to 4 replicas, its topics have 3 partitions']);
  });

  it('names a variable the app does not read, and one that has stopped being pending', () => {
    const typo = structuredClone(compose);
    typo.services.payment.environment = { ...typo.services.payment.environment, KAFKA_BROKER: 'kafka:9092' };
    expect(checkEnvironment(['payment'], registry, base, typo)).toEqual(['compose payment: sets KAFKA_BROKER, which the app does not read']);
    expect(checkEnvironment(['payment'], registry, base, compose, { payment: ['KAFKA_BROKERS'] })).toEqual(['payment: now reads KAFKA_BROKERS; drop it from PENDING_VARIABLES']);
  });

  it('names a gateway upstream that points elsewhere than tools/apps.ts does', () => {
    const wrong = structuredClone(compose);
    wrong.services['api-gateway'].environment = { ...wrong.services['api-gateway'].environment, ORDER_URL: 'http://order:3999' };
    expect(checkEnvironment(['api-gateway'], registry, base, wrong)).toEqual(['compose api-gateway: ORDER_URL=http://order:3999, expected http://order:3002']);
  });

  it('names a root container and an open policy', () => {
    const rooted = structuredClone(base);
    deployment(rooted, 'review').spec.template.spec.securityContext.runAsNonRoot = false;
    expect(checkPodSecurity(rooted)).toEqual(['Deployment/review: runAsNonRoot is not true']);
    const open = structuredClone(base);
    const kafka = open.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafka');
    if (!kafka) throw new Error('no kafka NetworkPolicy');
    delete kafka.spec.ingress[0].from;
    expect(checkNetworkPolicies(open)).toEqual(['NetworkPolicy/kafka: accepts traffic from anywhere for kafka']);
  });
});
