/**
 * Cross-checks between the deployment manifests and the code: every app is
 * deployed the same way in compose and Kubernetes, from its own image, on the
 * port and with the variables the code reads; every
 * data-owning service migrates before it starts; secrets come from where the
 * stack makes them, never from the files; the pods meet the namespace's
 * security rules and policies; Prometheus finds every app. Each check returns
 * the problems it found, one line each (empty: consistent).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppDefinition, appsRegistry, ComposeProject, ComposeService, K8sObject, root } from './deploy-manifests';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are plain data */
type Container = any;

/** Where compose's `secrets` service writes the stack's secrets and the images read them (<NAME>_FILE). */
export const SECRETS_DIR = '/run/shop-secrets';

function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

function podSpec(o: K8sObject): any {
  return o.kind === 'Job' || o.kind === 'Deployment' || o.kind === 'StatefulSet' ? o.spec?.template?.spec : undefined;
}

function sameList(a: unknown, b: unknown[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A container's variables: its own `env` values plus the ConfigMaps it loads whole; secrets as `<secret KEY>`. */
export function containerEnv(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const cm = source.configMapRef && find(objects, 'ConfigMap', source.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = e.value ?? (ref ? `<secret ${ref.key}>` : '<from elsewhere>');
  }
  return env;
}

function composePort(service: ComposeService): number | undefined {
  const port = service.environment?.PORT;
  return port === undefined ? undefined : Number(port);
}

/** The image compose builds for an app: the one service whose `build` passes APP=<app> names it. */
export function appImage(compose: ComposeProject, app: string): string | undefined {
  const built = Object.values(compose.services).filter((s) => s.build?.args?.APP === app);
  return built.length === 1 ? built[0].image : undefined;
}

/** Every app's image, as compose builds them. */
export function appImages(compose: ComposeProject): string[] {
  return Object.values(compose.services)
    .filter((s) => s.build?.args?.APP)
    .map((s) => s.image as string);
}

/** The port Prometheus scrapes an app on: its metrics listener where it has one of its own (tools/apps.ts), else its port. */
export function metricsPort(app: string, port: number | undefined): number | undefined {
  return appsRegistry().find((a) => a.name === app)?.metricsPort ?? port;
}

/**
 * Every app in apps/: a compose service and a Deployment that run the app's
 * own image with `serve <app>`, on the port tools/apps.ts gives (the code's
 * default), with probes, limits, a Service, a PDB, and the annotations that
 * let Prometheus find its pods.
 */
export function checkApps(apps: string[], registry: AppDefinition[], objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  for (const app of apps) {
    const image = appImage(compose, app) ?? `localhost/shop/${app}:dev`;
    const expectedPort = registry.find((a) => a.name === app)?.port;
    const c = compose.services[app];
    if (!c) problems.push(`compose: no service for app ${app}`);
    else {
      if (c.image !== image || !sameList(c.command, ['serve', app])) problems.push(`compose ${app}: does not run ${image} with serve ${app}`);
      if (!c.healthcheck) problems.push(`compose ${app}: no healthcheck`);
      if (expectedPort !== undefined && composePort(c) !== expectedPort) problems.push(`compose ${app}: PORT ${c.environment?.PORT}, tools/apps.ts says ${expectedPort}`);
      if (c.mem_limit === undefined) problems.push(`compose ${app}: no mem_limit`);
    }
    const d = find(objects, 'Deployment', app);
    if (!d) {
      problems.push(`k8s: no Deployment ${app}`);
      continue;
    }
    const container = (podSpec(d)?.containers ?? [])[0];
    if (!container || container.image !== image || !sameList(container.args, ['serve', app])) {
      problems.push(`k8s Deployment ${app}: its container does not run ${image} with serve ${app}`);
      continue;
    }
    const http = (container.ports ?? []).find((p: any) => p.name === 'http');
    const port: number | undefined = http?.containerPort;
    const env = containerEnv(objects, container);
    if (port === undefined) problems.push(`k8s Deployment ${app}: no container port named http`);
    if (String(port) !== env.PORT) problems.push(`k8s Deployment ${app}: containerPort ${port} but PORT=${env.PORT}`);
    if (expectedPort !== undefined && port !== expectedPort) problems.push(`k8s Deployment ${app}: port ${port}, tools/apps.ts says ${expectedPort}`);
    if (c && composePort(c) !== port) problems.push(`${app}: compose PORT ${c.environment?.PORT} and k8s port ${port} differ`);
    for (const [probe, path] of [
      ['readinessProbe', '/health/ready'],
      ['livenessProbe', '/health/live'],
    ] as const) {
      const get = container[probe]?.httpGet;
      if (!get) problems.push(`k8s Deployment ${app}: no ${probe}`);
      else if (get.path !== path || (get.port !== 'http' && get.port !== port)) problems.push(`k8s Deployment ${app}: ${probe} is ${get.path} on ${get.port}, expected ${path} on the app's port`);
    }
    if (!container.resources?.requests?.memory || !container.resources?.limits?.memory) problems.push(`k8s Deployment ${app}: no memory request and limit`);
    const annotations = d.spec.template.metadata?.annotations ?? {};
    const scrape = metricsPort(app, port);
    if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(scrape) || annotations['prometheus.io/path'] !== '/metrics') {
      problems.push(`k8s Deployment ${app}: pods not annotated for Prometheus on port ${scrape}, path /metrics`);
    }
    if (scrape !== port && !(container.ports ?? []).some((p: any) => p.containerPort === scrape)) problems.push(`k8s Deployment ${app}: metrics port ${scrape} not declared`);
    const svc = find(objects, 'Service', app);
    if (!svc) problems.push(`k8s: no Service ${app}`);
    else if (!(svc.spec?.ports ?? []).some((p: any) => p.port === port && (p.targetPort === 'http' || p.targetPort === port))) {
      problems.push(`k8s Service ${app}: does not expose port ${port}`);
    }
    if (!objects.some((o) => o.kind === 'PodDisruptionBudget' && o.spec?.selector?.matchLabels?.['app.kubernetes.io/name'] === app)) {
      problems.push(`k8s: no PodDisruptionBudget for ${app}`);
    }
  }
  return problems;
}

/**
 * Every data-owning service (tools/infra/postgres.ts) migrates before it
 * starts, as its own role in its own schema: in compose a one-shot
 * `<service>-migrate` the app waits for, in Kubernetes an init container of
 * the app's own pods (so a bare `kubectl apply` converges: no pod is ready
 * before its tables exist). Both run the service's image with `migrate`.
 */
export function checkMigrations(services: Array<{ service: string; schema: string; role: string }>, objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  for (const { service, schema, role } of services) {
    const image = appImage(compose, service) ?? `localhost/shop/${service}:dev`;
    if (!existsSync(join(root, 'libs', service, 'data-access', 'prisma', 'migrations'))) problems.push(`${service}: no migrations folder`);
    const name = `${service}-migrate`;
    const m = compose.services[name];
    if (!m) problems.push(`compose: no ${name} service`);
    else {
      if (m.image !== image || !sameList(m.command, ['migrate', service])) problems.push(`compose ${name}: does not run ${image} with migrate ${service}`);
      problems.push(...databaseEnvProblems(`compose ${name}`, m.environment ?? {}, schema, role));
    }
    const app = compose.services[service];
    if (app) {
      if (app.depends_on?.[name]?.condition !== 'service_completed_successfully') problems.push(`compose ${service}: does not wait for ${name} (service_completed_successfully)`);
      problems.push(...databaseEnvProblems(`compose ${service}`, app.environment ?? {}, schema, role));
    }
    const d = find(objects, 'Deployment', service);
    const init = (podSpec(d ?? ({} as K8sObject))?.initContainers ?? []).find((x: Container) => x.image === image && sameList(x.args, ['migrate', service]));
    if (!init) problems.push(`k8s Deployment ${service}: no init container running ${image} with migrate ${service}`);
    else problems.push(...databaseEnvProblems(`k8s Deployment ${service} (init)`, containerEnv(objects, init), schema, role));
    const container = d && podSpec(d)?.containers?.[0];
    if (container) problems.push(...databaseEnvProblems(`k8s Deployment ${service}`, containerEnv(objects, container), schema, role));
  }
  for (const job of objects.filter((o) => o.kind === 'Job' && (podSpec(o)?.containers ?? []).some((c: Container) => c.args?.[0] === 'migrate'))) {
    problems.push(`k8s Job ${job.metadata.name}: migrations run in the services' init containers`);
  }
  return problems;
}

/**
 * The database variables as the image's entrypoint composes them: the URL
 * names the role and the host in plain text, the password comes from a
 * secret (a Kubernetes Secret key, or a file compose's `secrets` service made)
 * and never stands in a manifest.
 */
function databaseEnvProblems(where: string, env: Record<string, string>, schema: string, role: string): string[] {
  const problems: string[] = [];
  const secret = `${role.toUpperCase()}_PASSWORD`;
  if (env.DATABASE_SCHEMA !== schema) problems.push(`${where}: DATABASE_SCHEMA=${env.DATABASE_SCHEMA}, expected ${schema}`);
  if (env.DATABASE_URL !== `postgresql://${role}@postgres:5432/shop`) problems.push(`${where}: DATABASE_URL=${env.DATABASE_URL}, expected postgresql://${role}@postgres:5432/shop`);
  const password = env.DATABASE_PASSWORD ?? env.DATABASE_PASSWORD_FILE;
  const fromFile = typeof password === 'string' && password.startsWith(`${SECRETS_DIR}/`) && password.endsWith(`/${secret}`);
  if (password !== `<secret ${secret}>` && !fromFile) problems.push(`${where}: the database password does not come from the secret ${secret}`);
  return problems;
}

/**
 * One image per app, each built once: by exactly one compose service, whose
 * build passes APP=<app>, under the name localhost/shop/<app> (no engine or
 * node ever pulls it from someone else's registry). Every service that runs
 * it depends on that one (compose builds an image when it reaches its
 * builder, in dependency order), and runs that app only: its `serve`, its
 * `migrate`, or the storefront's demo-catalog loader.
 */
export function checkServiceImages(apps: string[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  for (const app of apps) {
    const builders = Object.entries(compose.services).filter(([, s]) => s.build?.args?.APP === app);
    if (builders.length !== 1) {
      problems.push(`compose: ${builders.length} services build ${app}'s image; one does`);
      continue;
    }
    const [builder, { image }] = builders[0];
    if (!new RegExp(`^localhost/shop/${app}:[^:]+$`).test(image ?? '')) problems.push(`compose ${builder}: builds ${app}'s image as ${image}, not localhost/shop/${app}:<version>`);
    const dependsOn = (name: string, seen = new Set<string>()): boolean => {
      if (seen.has(name)) return false;
      seen.add(name);
      return Object.keys(compose.services[name]?.depends_on ?? {}).some((d) => d === builder || dependsOn(d, seen));
    };
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.image !== image || name === builder) continue;
      if (!dependsOn(name)) problems.push(`compose ${name}: runs ${image} without depending on ${builder}, which builds it`);
    }
  }
  const known = new Set(appImages(compose));
  for (const [name, s] of Object.entries(compose.services)) {
    if (!s.image?.startsWith('localhost/')) continue;
    if (!known.has(s.image)) problems.push(`compose ${name}: runs ${s.image}, which no service builds`);
    const app = /^localhost\/shop\/([^:]+):/.exec(s.image)?.[1];
    const [verb, target] = s.command ?? [];
    if (app && target !== app && !(verb === 'demo-catalog' && app === 'storefront')) problems.push(`compose ${name}: runs ${s.command?.join(' ')} in ${app}'s image`);
  }
  return problems;
}

/**
 * No secret in the file: every variable that holds one is read from a file
 * the one-shot `secrets` service made (<NAME>_FILE, under /run/shop-secrets),
 * from a volume mounted read-only, except on that service, which takes an
 * operator's value from the environment (empty by default) to store instead
 * of a random one. It runs deploy/secrets/make-secrets.sh and makes exactly
 * the secrets the stack reads. What each container gets is
 * checkSecretsPerContainer's.
 */
export function checkComposeSecrets(compose: ComposeProject, made: string[]): string[] {
  const problems: string[] = [];
  const isSecret = (name: string) => /SECRET|PASSWORD/.test(name);
  const maker = compose.services.secrets as ComposeService & { entrypoint?: string[] };
  const script = (maker?.volumes ?? []).find((v) => v.split(':')[0].endsWith('/deploy/secrets/make-secrets.sh'))?.split(':')[1];
  if (!maker || !script || !(maker.entrypoint ?? []).includes(script) || maker.command?.[0] !== 'dir' || !maker.command?.[1]?.startsWith(`${SECRETS_DIR}/`)) {
    return [`compose: no secrets service running deploy/secrets/make-secrets.sh dir ${SECRETS_DIR}/...`];
  }
  const given = Object.keys(maker.environment ?? {}).sort();
  if (!sameList(given, [...made].sort())) problems.push(`compose secrets: takes ${given.join(', ')} from the environment, make-secrets.sh makes ${made.join(', ')}`);
  for (const [name, value] of Object.entries(maker.environment ?? {})) if (value !== '') problems.push(`compose secrets: ${name} has a value in the file`);
  const secretVolumes = new Set((maker.volumes ?? []).filter((v) => v.split(':')[1]?.startsWith(`${SECRETS_DIR}/`)).map((v) => v.split(':')[0]));
  for (const [service, s] of Object.entries(compose.services)) {
    if (service === 'secrets') continue;
    const mounts = (s.volumes ?? []).filter((v) => typeof v === 'string' && secretVolumes.has(v.split(':')[0]));
    for (const mount of mounts) if (!mount.endsWith(':ro')) problems.push(`compose ${service}: mounts ${mount.split(':')[0]} writable`);
    for (const [name, value] of Object.entries(s.environment ?? {})) {
      if (!isSecret(name)) continue;
      const file = name.endsWith('_FILE') ? value : undefined;
      if (!file) problems.push(`compose ${service}: ${name} is set in the file; read it from ${SECRETS_DIR} (${name}_FILE)`);
      else if (!file.startsWith(`${SECRETS_DIR}/`) || !made.includes(file.split('/').pop() as string)) problems.push(`compose ${service}: ${name}=${file} is no secret make-secrets.sh makes`);
      else if (!mounts.some((m) => file.startsWith(`${m.split(':')[1]}/`))) problems.push(`compose ${service}: reads ${file} without a secrets volume mounted there`);
    }
  }
  return problems;
}

/** Published ports on 127.0.0.1 only, each host port from SHOP_<NAME>_PORT with its documented default. */
export function checkPublishedPorts(compose: ComposeProject, composeText: string, defaults: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [service, s] of Object.entries(compose.services)) {
    for (const p of s.ports ?? []) {
      const [ip] = String(p).split(':');
      if (ip !== '127.0.0.1') problems.push(`compose ${service}: publishes ${p} beyond 127.0.0.1`);
    }
    if (s.ports?.length && !(service in defaults)) problems.push(`compose ${service}: publishes ${s.ports.join(', ')}, which the README does not list`);
  }
  for (const [service, port] of Object.entries(defaults)) {
    const variable = `SHOP_${service.toUpperCase().replace(/^API-/, '').replace(/-/g, '_')}_PORT`;
    if (!composeText.includes(`"127.0.0.1:\${${variable}:-${port}}:`)) problems.push(`compose ${service}: host port not from \${${variable}:-${port}}`);
  }
  return problems;
}

/**
 * Kafka's health check is deploy/kafka/healthcheck.sh (an ApiVersions request
 * over bash's /dev/tcp) in compose and Kubernetes alike, never a Kafka tool
 * that starts a second JVM inside the broker's memory limit.
 */
export function checkKafkaHealth(objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  const kafka = compose.services.kafka;
  const test = [kafka?.healthcheck?.test ?? []].flat().join(' ');
  if (/kafka-[a-z-]+\.sh|java/.test(test)) problems.push(`compose kafka: the health check starts a JVM (${test})`);
  const script = (kafka?.volumes ?? []).find((v) => typeof v === 'string' && v.split(':')[0].endsWith('/deploy/kafka/healthcheck.sh'));
  const target = typeof script === 'string' ? script.split(':')[1] : undefined;
  if (!target || !test.endsWith(target.split('/').pop() as string)) problems.push('compose kafka: the health check is not deploy/kafka/healthcheck.sh');
  const sts = find(objects, 'StatefulSet', 'kafka');
  const probe = podSpec(sts ?? ({} as K8sObject))?.containers?.[0]?.readinessProbe?.exec?.command ?? [];
  const mount = (podSpec(sts ?? ({} as K8sObject))?.volumes ?? []).find((v: any) => v.configMap?.name === 'kafka-healthcheck');
  if (!mount || probe.join(' ') !== '/etc/kafka/healthcheck/healthcheck.sh') problems.push('k8s kafka: readiness is not deploy/kafka/healthcheck.sh');
  return problems;
}

/**
 * The apps whose /metrics has a listener of its own (the gateway's, the
 * storefront's): open to the container network (METRICS_HOST=0.0.0.0) but
 * never published, scraped by Prometheus there, and reachable in Kubernetes
 * from Prometheus alone.
 */
export function checkMetricsListeners(objects: K8sObject[], compose: ComposeProject, composePrometheus: any, registry: AppDefinition[] = appsRegistry()): string[] {
  const problems: string[] = [];
  const listeners = registry.filter((a): a is AppDefinition & { metricsPort: number } => a.metricsPort !== undefined);
  for (const { name, metricsPort: port } of listeners) {
    const service = compose.services[name];
    if (service?.environment?.METRICS_HOST !== '0.0.0.0') problems.push(`compose ${name}: METRICS_HOST is not 0.0.0.0`);
    if ((service?.ports ?? []).some((p) => String(p).split(':').slice(-1)[0].startsWith(String(port)))) problems.push(`compose ${name}: publishes ${port}`);
    const job = (composePrometheus.scrape_configs ?? []).find((j: any) => j.job_name === name);
    if (!job?.dns_sd_configs?.some((c: any) => c.names?.includes(name) && c.port === port)) problems.push(`compose prometheus: does not scrape ${name}:${port}`);
    const d = find(objects, 'Deployment', name);
    if (d && containerEnv(objects, podSpec(d).containers[0]).METRICS_HOST !== '0.0.0.0') problems.push(`k8s ${name}: METRICS_HOST is not 0.0.0.0`);
  }
  const ports = new Set(listeners.map((l) => l.metricsPort));
  for (const p of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    for (const rule of p.spec?.ingress ?? []) {
      for (const port of (rule.ports ?? []).map((x: any) => x.port).filter((x: number) => ports.has(x))) {
        const peers = (rule.from ?? []).map((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name']);
        if (peers.length === 0 || peers.some((n: string | undefined) => n !== 'prometheus')) problems.push(`NetworkPolicy/${p.metadata.name}: lets others than Prometheus reach ${port}`);
      }
    }
  }
  return problems;
}

/**
 * Prometheus in Kubernetes finds pods through the API (each replica its own
 * target) rather than scraping Service addresses: kubernetes_sd_configs for
 * pods of the namespace, kept by annotation; its service account may list pods
 * there, and it may reach the API and the apps' metrics ports.
 */
export function checkPrometheusDiscovery(objects: K8sObject[], kubernetesConfig: any, apps: Array<{ name: string; port: number }>): string[] {
  const problems: string[] = [];
  const jobs = kubernetesConfig.scrape_configs ?? [];
  if (jobs.some((j: any) => j.static_configs)) problems.push('k8s prometheus: static targets (Service addresses mix the replicas)');
  const pods = jobs.find((j: any) => (j.kubernetes_sd_configs ?? []).some((c: any) => c.role === 'pod' && c.namespaces?.names?.includes('shop')));
  if (!pods) problems.push('k8s prometheus: no kubernetes_sd_configs for the pods of namespace shop');
  else if (!(pods.relabel_configs ?? []).some((r: any) => r.action === 'keep' && r.source_labels?.includes('__meta_kubernetes_pod_annotation_prometheus_io_scrape'))) {
    problems.push('k8s prometheus: does not keep only the pods annotated prometheus.io/scrape');
  }
  const d = find(objects, 'Deployment', 'prometheus');
  const spec = d && podSpec(d);
  const account = spec?.serviceAccountName;
  if (!account || spec.automountServiceAccountToken !== true) problems.push('k8s prometheus: no service account token to ask the API with');
  const binding = objects.find((o) => o.kind === 'RoleBinding' && (o as any).subjects?.some((s: any) => s.kind === 'ServiceAccount' && s.name === account));
  const role = binding && find(objects, 'Role', (binding as any).roleRef?.name);
  const canList = (role as any)?.rules?.some((r: any) => r.resources?.includes('pods') && ['list', 'watch'].every((v) => r.verbs?.includes(v)));
  if (!canList) problems.push(`k8s prometheus: service account ${account} may not list and watch pods`);
  const egress = objects.find((o) => o.kind === 'NetworkPolicy' && o.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus')?.spec?.egress ?? [];
  const allowed = (port: number) => egress.some((r: any) => (r.ports ?? []).some((x: any) => x.port === port));
  if (!allowed(443) && !allowed(6443)) problems.push('NetworkPolicy/prometheus: does not let it reach the Kubernetes API');
  for (const app of apps) {
    const port = metricsPort(app.name, app.port) as number;
    if (!allowed(port)) problems.push(`NetworkPolicy/prometheus: cannot reach ${app.name} on ${port}`);
  }
  return problems;
}

/**
 * No Secret in any manifest (a published placeholder is a known secret): the
 * base's Job makes `shop-secrets` in the cluster, with make-secrets.sh's keys
 * (every key the pods read), from the scripts compose uses
 * (deploy/secrets/make-secrets.sh env-file, then k8s-secret.js), under a
 * service account that may create Secrets and read and patch that one alone,
 * and reach the API server and nothing else.
 */
export function checkKubernetesSecrets(base: K8sObject[], kind: K8sObject[], made: string[]): string[] {
  const problems: string[] = [];
  for (const [where, objects] of [
    ['base', base],
    ['kind', kind],
  ] as const) {
    for (const s of objects.filter((o) => o.kind === 'Secret')) problems.push(`k8s ${where}: Secret ${s.metadata.name} in the manifests`);
  }
  for (const o of base) {
    for (const c of [...(podSpec(o)?.initContainers ?? []), ...(podSpec(o)?.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && (ref.name !== 'shop-secrets' || !made.includes(ref.key))) problems.push(`k8s ${o.kind}/${o.metadata.name}: reads ${ref.name}/${ref.key}, which the secrets Job does not make`);
      }
    }
  }
  const job = base.find((o) => o.kind === 'Job' && /make-secrets\.sh env-file .*k8s-secret\.js/.test((podSpec(o)?.containers?.[0]?.command ?? []).join(' ')));
  if (!job) return [...problems, 'k8s base: no Job makes shop-secrets (make-secrets.sh env-file, then k8s-secret.js)'];
  const spec = podSpec(job);
  const scripts = (spec.volumes ?? []).map((v: any) => v.configMap?.name && find(base, 'ConfigMap', v.configMap.name)).find(Boolean);
  if (!scripts?.data?.['make-secrets.sh'] || !scripts.data['k8s-secret.js']) problems.push(`k8s Job ${job.metadata.name}: its scripts are not deploy/secrets' (make-secrets.sh, k8s-secret.js)`);
  const account = spec.serviceAccountName;
  const bindings = base.filter((o) => o.kind === 'RoleBinding' && (o as any).subjects?.some((x: any) => x.kind === 'ServiceAccount' && x.name === account));
  const rules = bindings.flatMap((b) => (find(base, 'Role', (b as any).roleRef?.name) as any)?.rules ?? []);
  const allowed = (verb: string, name?: string) => rules.some((r: any) => r.resources?.includes('secrets') && r.verbs?.includes(verb) && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))));
  if (!allowed('create') || !allowed('get', 'shop-secrets') || !allowed('patch', 'shop-secrets')) problems.push(`k8s Job ${job.metadata.name}: service account ${account} may not create Secrets and read and patch shop-secrets`);
  for (const rule of rules) {
    const beyond = (rule.resources ?? []).some((r: string) => r !== 'secrets') || (rule.verbs ?? []).some((v: string) => !['create', 'get', 'patch'].includes(v)) || ((rule.verbs ?? []).some((v: string) => v !== 'create') && !sameList(rule.resourceNames, ['shop-secrets']));
    if (beyond) problems.push(`k8s Job ${job.metadata.name}: service account ${account} may do more than it needs (${JSON.stringify(rule)})`);
  }
  const label = job.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'];
  const egress = base.find((o) => o.kind === 'NetworkPolicy' && o.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === label)?.spec?.egress ?? [];
  if (!egress.some((r: any) => (r.ports ?? []).some((x: any) => x.port === 443 || x.port === 6443))) problems.push(`NetworkPolicy: the Job ${job.metadata.name} cannot reach the Kubernetes API`);
  return problems;
}

/**
 * The kind overlay never lets a node look for an app's image in a registry:
 * they exist only where kind-up.sh loaded them.
 */
export function checkKindImages(kind: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of kind) {
    for (const c of [...(podSpec(o)?.initContainers ?? []), ...(podSpec(o)?.containers ?? [])]) {
      if (String(c.image).startsWith('localhost/') && c.imagePullPolicy !== 'Never') problems.push(`k8s kind ${o.kind}/${o.metadata.name} ${c.name}: imagePullPolicy ${c.imagePullPolicy}, expected Never`);
    }
  }
  return problems;
}

/**
 * No consumer scales past the partitions of the topics it reads: a replica
 * beyond them gets no partition. `partitions` is what the services create
 * their topics with; consumers are the data-owning services.
 */
export function checkConsumerScaling(objects: K8sObject[], consumers: string[], partitions: number): string[] {
  const problems: string[] = [];
  for (const name of consumers) {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef?.name === name);
    const max = hpa ? hpa.spec.maxReplicas : (find(objects, 'Deployment', name)?.spec?.replicas ?? 1);
    if (max > partitions) problems.push(`${name}: scales to ${max} replicas, its topics have ${partitions} partitions`);
  }
  return problems;
}

/**
 * The names each app reads, from its config schema (and the shared service
 * shape when it uses it); OpenTelemetry reads OTEL_* itself.
 * undefined when the app has no config schema to read.
 */
export function variablesRead(app: string): Set<string> | undefined {
  const dir = join(root, 'apps', app, 'src', 'config');
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.endsWith('.config.ts'));
  if (files.length === 0) return undefined;
  const names = new Set<string>();
  const collect = (text: string) => {
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]);
  };
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    collect(text);
    if (text.includes('serviceConfigShape')) {
      const shared = readFileSync(join(root, 'libs', 'platform', 'config', 'src', 'common-env.ts'), 'utf8');
      const body = shared.slice(shared.indexOf('export function serviceConfigShape'));
      collect(body.slice(0, body.indexOf('\n}\n')));
    }
  }
  return names;
}

/**
 * Read by the image's entrypoint (deploy/docker/entrypoint.sh), not the app:
 * the database password it puts into DATABASE_URL, and every <NAME>_FILE it
 * turns into <NAME>.
 */
function readByEntrypoint(name: string, read: Set<string>): boolean {
  return name === 'DATABASE_PASSWORD' || (name.endsWith('_FILE') && (read.has(name.slice(0, -5)) || name === 'DATABASE_PASSWORD_FILE'));
}

/**
 * Variables the manifests set ahead of the code that reads them, each with the
 * change that brings the reader (none now). When the app reads one, the check
 * says to drop it from here.
 */
export const PENDING_VARIABLES: Record<string, string[]> = {};

/**
 * Names must match what the apps read: a misspelt variable is silently
 * ignored by the app. Values from tools/apps.ts (gateway upstreams, courier
 * delays) must be the same in compose and Kubernetes, with container names
 * for hosts.
 */
export function checkEnvironment(apps: string[], registry: AppDefinition[], objects: K8sObject[], compose: ComposeProject, pending = PENDING_VARIABLES): string[] {
  const problems: string[] = [];
  // tools/apps.ts points at 127.0.0.1:<port>; in containers the same app is <name>:<port>.
  const byPort = new Map(registry.map((a) => [a.port, a.name]));
  const containerUrl = (value: string) => {
    const m = /^http:\/\/(127\.0\.0\.1|localhost):(\d+)$/.exec(value);
    const target = m && byPort.get(Number(m[2]));
    return target ? `http://${target}:${m[2]}` : value;
  };
  for (const app of apps) {
    const d = find(objects, 'Deployment', app);
    const container = d && podSpec(d)?.containers?.[0];
    const k8sEnv = container ? containerEnv(objects, container) : {};
    const composeEnv = compose.services[app]?.environment ?? {};
    const read = variablesRead(app);
    if (read) {
      for (const name of pending[app] ?? []) if (read.has(name)) problems.push(`${app}: now reads ${name}; drop it from PENDING_VARIABLES`);
      for (const [where, env] of [
        ['compose', composeEnv],
        ['k8s', k8sEnv],
      ] as const) {
        for (const name of Object.keys(env)) {
          if (!read.has(name) && !name.startsWith('OTEL_') && !readByEntrypoint(name, read) && !(pending[app] ?? []).includes(name)) {
            problems.push(`${where} ${app}: sets ${name}, which the app does not read`);
          }
        }
      }
    }
    for (const [name, value] of Object.entries(registry.find((a) => a.name === app)?.env ?? {})) {
      if (name === 'AUTH_DEMO_ISSUER') continue; // on in compose and kind, off in the base: checked on its own
      const expected = containerUrl(value);
      if (composeEnv[name] !== expected) problems.push(`compose ${app}: ${name}=${composeEnv[name]}, expected ${expected}`);
      if (k8sEnv[name] !== expected) problems.push(`k8s ${app}: ${name}=${k8sEnv[name]}, expected ${expected}`);
    }
  }
  return problems;
}

/** The namespace enforces the "restricted" Pod Security Standard: every pod must meet it. */
export function checkPodSecurity(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const spec = podSpec(o);
    if (!spec) continue;
    const where = `${o.kind}/${o.metadata.name}`;
    if (spec.securityContext?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (!(spec.securityContext?.runAsUser > 0)) problems.push(`${where}: no numeric non-root runAsUser`);
    if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile is not RuntimeDefault`);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${where} ${c.name}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where} ${c.name}: capabilities are not all dropped`);
      if (o.metadata.labels?.['app.kubernetes.io/component'] === 'app' && sc.readOnlyRootFilesystem !== true) problems.push(`${where} ${c.name}: root filesystem is writable`);
      if (!c.resources?.limits?.memory || !c.resources?.requests?.memory) problems.push(`${where} ${c.name}: no memory request and limit`);
    }
  }
  return problems;
}

/**
 * Default deny in and out, DNS allowed, and only the gateway and the
 * storefront take traffic from anyone: every other ingress rule names its peers.
 */
export function checkNetworkPolicies(objects: K8sObject[], publicApps = ['api-gateway', 'storefront']): string[] {
  const problems: string[] = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const deny = policies.find(
    (p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 && ['Ingress', 'Egress'].every((t) => p.spec?.policyTypes?.includes(t)) && !p.spec?.ingress && !p.spec?.egress,
  );
  if (!deny) problems.push('no default-deny policy for ingress and egress');
  const dns = policies.some((p) => (p.spec?.egress ?? []).some((r: any) => (r.ports ?? []).some((x: any) => x.port === 53)));
  if (!dns) problems.push('no policy allows DNS egress');
  for (const p of policies) {
    for (const rule of p.spec?.ingress ?? []) {
      if (rule.from && rule.from.length > 0) continue;
      const target = p.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'];
      if (!publicApps.includes(target)) problems.push(`NetworkPolicy/${p.metadata.name}: accepts traffic from anywhere for ${target ?? 'every pod'}`);
    }
  }
  for (const app of publicApps) {
    const open = policies.some((p) => p.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === app && (p.spec?.ingress ?? []).some((r: any) => !r.from));
    if (!open) problems.push(`${app}: no policy lets the outside reach it`);
  }
  return problems;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The instructions of each stage of a Dockerfile (continuation lines joined), the last stage last. */
export function dockerfileStages(text: string): Array<{ name?: string; from: string; body: string }> {
  return text
    .replace(/\\\n/g, ' ')
    .split(/^FROM /m)
    .slice(1)
    .map((stage) => {
      const [first, ...rest] = stage.split('\n');
      const [from, , name] = first.trim().split(/\s+/);
      return { from, name, body: rest.filter((l) => !l.startsWith('#')).join('\n') };
    });
}

/**
 * The one Dockerfile: Node on the current LTS (even major, 24 or later) on
 * bookworm-slim, inside package.json's engines; install scripts never run (a
 * failed download fails `npm ci`, nothing is fetched silently later); the
 * image gets production dependencies only, without the devOptional packages,
 * and nothing of the build stage but what it assembled; it is one layer over
 * its base, runs as uid 1000, is health-checked, and starts at the entrypoint.
 */
export function checkDockerfile(text: string, satisfiesEngines: (version: string) => boolean): string[] {
  const problems: string[] = [];
  const node = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/m.exec(text);
  if (!node) problems.push('Dockerfile: NODE_IMAGE is not pinned to node:<x.y.z>-bookworm-slim');
  else {
    const major = Number(node[1]);
    if (major < 24 || major % 2 !== 0) problems.push(`Dockerfile: Node ${major} is not an LTS line of 24 or later`);
    if (!satisfiesEngines(node.slice(1, 4).join('.'))) problems.push(`Dockerfile: Node ${node.slice(1, 4).join('.')} is outside package.json's engines`);
  }
  const instructions = text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  for (const install of instructions.match(/npm ci[^\n&]*/g) ?? []) if (!install.includes('--ignore-scripts')) problems.push(`Dockerfile: ${install.trim()} runs install scripts`);
  const stages = dockerfileStages(text);
  const last = stages[stages.length - 1];
  const runtime = stages.find((s) => /npm ci .*--omit=dev/.test(s.body));
  if (!runtime || !/--omit=optional/.test(runtime.body)) problems.push('Dockerfile: production dependencies keep the devOptional packages (add --omit=optional)');
  if (last) {
    const layers = last.body.split('\n').filter((l) => /^(COPY|ADD|RUN)\b/.test(l));
    if (layers.length !== 1 || !runtime?.name || layers[0] !== `COPY --from=${runtime.name} /app /app`) problems.push(`Dockerfile: the image is not one COPY of the runtime stage (${layers.join(' | ')})`);
    if (!/^USER 1000:1000$/m.test(last.body)) problems.push('Dockerfile: the image does not run as 1000:1000');
    if (!/^HEALTHCHECK .*CMD \["node", "deploy\/docker\/healthcheck.js"\]$/m.test(last.body)) problems.push('Dockerfile: no health check on deploy/docker/healthcheck.js');
    if (!/^ENTRYPOINT \["\/app\/deploy\/docker\/entrypoint.sh"\]$/m.test(last.body)) problems.push('Dockerfile: the entrypoint is not deploy/docker/entrypoint.sh');
    if (!/^ENV .*\bNODE_ENV=production\b/m.test(last.body)) problems.push('Dockerfile: NODE_ENV is not production');
  }
  return problems;
}

/**
 * Whether a version is inside package.json's engines, written as caret ranges
 * (`^20.19.0 || ^24.11.0`: one per Node line the project supports), the only
 * form it uses.
 */
export function inEngines(version: string, engines: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number);
  return engines.split('||').some((part) => {
    const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`engines: "${part.trim()}" is not a caret range`);
    const [a, b, c] = m.slice(1).map(Number);
    return major === a && (minor > b || (minor === b && patch >= c));
  });
}

/**
 * scripts/kind-up.sh as the kind path needs it: a kind version check (releases
 * before 0.24 do not enforce NetworkPolicies), each app's image built and
 * tagged with its version (tools/infra/images.ts) and loaded with the Node
 * base image the secrets Job runs on as an image archive (`kind load
 * docker-image` fails under Docker's containerd image store), the overlay
 * applied with each app on its version (so a re-run rolls out exactly what
 * changed), the secrets Job awaited, and the URLs kind-cluster.yaml maps.
 */
export function checkKindUp(text: string, hostPorts: { gateway: number; storefront: number }): string[] {
  const problems: string[] = [];
  const script = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const min = /^MIN_KIND=(\d+)\.(\d+)\.(\d+)$/m.exec(script);
  if (!min || Number(min[1]) !== 0 || Number(min[2]) < 24 || !/sort -V/.test(script)) problems.push('kind-up.sh: does not refuse kind releases before 0.24');
  if (!/sh tools\/run\.sh infra\/images build/.test(script)) problems.push("kind-up.sh: does not build each app's image with its version (tools/infra/images.ts)");
  if (/kind load docker-image/.test(script) || !/docker save /.test(script) || !/kind load image-archive/.test(script)) problems.push('kind-up.sh: does not load the images as an archive');
  if (!/NODE_IMAGE=/.test(script) || !/images=\("\$NODE_IMAGE"\)/.test(script)) problems.push('kind-up.sh: does not load the Node base image the secrets Job runs on');
  if (!/newTag:/.test(script) || !/kubectl apply -k "\$RELEASE"/.test(script)) problems.push("kind-up.sh: does not apply the overlay with each app on its version");
  if (!/wait --for=condition=complete job\/shop-secrets/.test(script)) problems.push('kind-up.sh: does not wait for the secrets Job');
  for (const [what, port] of Object.entries(hostPorts)) {
    if (!new RegExp(`^  ${what} +http://localhost:${port}\\b`, 'm').test(script)) problems.push(`kind-up.sh: does not give the ${what} as http://localhost:${port}`);
  }
  return problems;
}

/** Files that must keep LF line endings (shell scripts, what containers run or mount), as `git check-attr eol` answers for them. */
export function checkLineEndings(paths: string[], gitCheckAttr: (paths: string[]) => string): string[] {
  const answers = gitCheckAttr(paths).trim().split('\n');
  return answers.filter((line) => !line.endsWith(': eol: lf')).map((line) => `.gitattributes: ${line.split(': eol:')[0]} is not eol=lf`);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are plain data */

/**
 * The seconds an app takes at most to shut down once it has SIGTERM (closeOnSignals in
 * libs/platform/http: HTTP closed, consumers drained and out of the group, modules closed).
 */
export function appShutdownSeconds(): number {
  const text = readFileSync(join(root, 'libs', 'platform', 'http', 'src', 'bootstrap.ts'), 'utf8');
  const ms = /shutdownTimeoutMs \?\? ([\d_]+)/.exec(text)?.[1];
  if (!ms) throw new Error('bootstrap.ts: no default shutdownTimeoutMs');
  return Number(ms.replace(/_/g, '')) / 1000;
}

/**
 * Every app's pods leave the Service's endpoints before the process hears of
 * it: a preStop hook sleeps while kube-proxy and the gateway's pools stop
 * sending it new requests (SIGTERM comes only after the hook), and the grace
 * period covers that sleep plus the app's own drain, so no pod is killed
 * half-way through its shutdown.
 */
export function checkPreStop(objects: K8sObject[], shutdownSeconds: number, minSleepSeconds = 3): string[] {
  const problems: string[] = [];
  for (const d of objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'app')) {
    const spec = podSpec(d);
    const container = spec?.containers?.[0];
    const command: unknown[] = container?.lifecycle?.preStop?.exec?.command ?? [];
    const sleep = command.length === 2 && command[0] === 'sleep' ? Number(command[1]) : NaN;
    const where = `k8s Deployment ${d.metadata.name}`;
    if (!(sleep >= minSleepSeconds)) {
      problems.push(`${where}: no preStop sleep of at least ${minSleepSeconds} s before SIGTERM (${JSON.stringify(container?.lifecycle?.preStop ?? null)})`);
      continue;
    }
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    if (grace < sleep + shutdownSeconds) problems.push(`${where}: terminationGracePeriodSeconds ${grace} does not cover the preStop sleep (${sleep} s) and the app's shutdown (${shutdownSeconds} s)`);
  }
  return problems;
}

/** Whether an IPv4 address or CIDR lies inside another CIDR. */
export function insideCidr(inner: string, outer: string): boolean {
  const parse = (cidr: string) => {
    const [ip, bits = '32'] = cidr.split('/');
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
    return { value: parts.reduce((a, p) => a * 256 + p, 0), bits: Number(bits) };
  };
  const a = parse(inner.trim());
  const b = parse(outer.trim());
  if (!a || !b || a.bits < b.bits) return false;
  const block = 2 ** (32 - b.bits);
  return Math.floor(a.value / block) === Math.floor(b.value / block);
}

/**
 * The gateway counts clients without a token per address, and a proxy in
 * front of it would make every client one address (one bucket for all) unless
 * the gateway believes that proxy's X-Forwarded-For. In compose the proxy is
 * the storefront (GATEWAY_URL): the gateway's TRUSTED_PROXIES names its
 * container (looked up on the compose network) and nothing else. In
 * Kubernetes the proxies (the storefront's pods, an ingress controller's) have
 * pod addresses: TRUSTED_PROXIES must be set in the base, and the kind overlay
 * trusts the pod network its cluster is created with (kind-cluster.yaml).
 */
export function checkTrustedProxies(compose: ComposeProject, base: K8sObject[], kind: K8sObject[], kindCluster: any): string[] {
  const problems: string[] = [];
  const trusted = String(compose.services['api-gateway']?.environment?.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const proxies = Object.entries(compose.services)
    .filter(([, s]) => /^https?:\/\/api-gateway:/.test(s.environment?.GATEWAY_URL ?? ''))
    .map(([name]) => name);
  if (proxies.length === 0) problems.push('compose: no service proxies to the gateway (GATEWAY_URL)');
  for (const name of proxies) if (!trusted.includes(name)) problems.push(`compose api-gateway: TRUSTED_PROXIES (${trusted.join(',') || 'unset'}) does not name ${name}, which proxies to it`);
  for (const entry of trusted) if (!proxies.includes(entry)) problems.push(`compose api-gateway: TRUSTED_PROXIES trusts ${entry}, which is no proxy of the stack`);
  const gatewayEnv = (objects: K8sObject[]) => {
    const d = find(objects, 'Deployment', 'api-gateway');
    return d ? containerEnv(objects, podSpec(d).containers[0]) : {};
  };
  if (!gatewayEnv(base).TRUSTED_PROXIES) problems.push('k8s base api-gateway: TRUSTED_PROXIES is not set (the ingress and the storefront would be one client)');
  const podSubnet: string | undefined = kindCluster?.networking?.podSubnet;
  if (!podSubnet) problems.push('kind-cluster.yaml: no networking.podSubnet to trust');
  else {
    const kindTrusted = String(gatewayEnv(kind).TRUSTED_PROXIES ?? '').split(',').filter(Boolean);
    if (!kindTrusted.some((t) => insideCidr(podSubnet, t))) problems.push(`k8s kind api-gateway: TRUSTED_PROXIES (${kindTrusted.join(',') || 'unset'}) does not cover the pod network ${podSubnet}`);
  }
  return problems;
}

/**
 * What each compose container may read of the stack's secrets: the files in
 * the secret volumes it mounts. The one-shot `secrets` service decides what
 * each volume holds: its command writes every secret to its first folder and,
 * for each `<folder>=<NAME>,...` after it, those names to that folder; a
 * volume mounted at a folder holds what is written there. A container must
 * get what its `<NAME>_FILE` variables read, and nothing more: the gateway
 * never holds a database password, a service never another's.
 */
export function checkSecretsPerContainer(compose: ComposeProject, made: string[]): string[] {
  const problems: string[] = [];
  const maker = compose.services.secrets as any;
  if (!maker) return ['compose: no secrets service'];
  const volumeOf = (mount: string) => {
    const [source, target] = String(mount).split(':');
    return { source, target };
  };
  const args: string[] = (maker.command ?? []).filter((a: string) => a.startsWith('/'));
  const contents = new Map<string, Set<string>>();
  args.forEach((arg, i) => {
    const [folder, names] = arg.split('=');
    contents.set(folder, new Set(i === 0 && names === undefined ? made : (names ?? '').split(',').filter(Boolean)));
  });
  const holds = new Map<string, Set<string>>();
  for (const mount of maker.volumes ?? []) {
    const { source, target } = volumeOf(mount);
    if (contents.has(target)) holds.set(source, contents.get(target) as Set<string>);
  }
  for (const [name, s] of Object.entries(compose.services) as Array<[string, any]>) {
    if (name === 'secrets') continue;
    const available = new Map<string, string>();
    for (const mount of s.volumes ?? []) {
      const { source, target } = volumeOf(mount);
      for (const secret of holds.get(source) ?? []) available.set(`${target}/${secret}`, secret);
    }
    const read = Object.entries(s.environment ?? {})
      .filter(([key]) => key.endsWith('_FILE'))
      .map(([, file]) => String(file));
    for (const file of read) if (/SECRET|PASSWORD/.test(file) && !available.has(file)) problems.push(`compose ${name}: reads ${file}, which none of its volumes holds`);
    const extra = [...available.entries()].filter(([file]) => !read.includes(file)).map(([, secret]) => secret);
    if (extra.length) problems.push(`compose ${name}: is given ${[...new Set(extra)].sort().join(', ')}, which it does not read`);
  }
  return problems;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
