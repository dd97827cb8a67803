/**
 * Cross-checks between the deployment manifests and the code: every app is
 * deployed the same way in compose and Kubernetes, on the port and with the
 * variables the code reads, every data-owning service migrates before it
 * starts, and the pods meet the namespace's security rules. Each check
 * returns the problems it found, one line each (empty: consistent).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppDefinition, ComposeProject, ComposeService, K8sObject, root } from './deploy-manifests';

export const IMAGE_TAG = 'dev';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are plain data */
type Container = any;

function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

function podSpec(o: K8sObject): any {
  return o.kind === 'Job' || o.kind === 'Deployment' || o.kind === 'StatefulSet' ? o.spec?.template?.spec : undefined;
}

/** A container's variables: its own `env` values plus the ConfigMaps it loads whole. */
export function containerEnv(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const cm = source.configMapRef && find(objects, 'ConfigMap', source.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of container.env ?? []) env[e.name] = e.value ?? `<from ${e.valueFrom?.secretKeyRef ? 'secret' : 'elsewhere'}>`;
  return env;
}

function composePort(service: ComposeService): number | undefined {
  const port = service.environment?.PORT;
  return port === undefined ? undefined : Number(port);
}

/**
 * Every app in apps/: a Deployment with probes on its port, a Service, a PDB,
 * and a compose service built from the same Dockerfile with the same image,
 * port and health check; ports agree with tools/apps.js (the code's defaults).
 */
export function checkApps(apps: string[], registry: AppDefinition[], objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  for (const app of apps) {
    const image = `shop/${app}:${IMAGE_TAG}`;
    const expectedPort = registry.find((a) => a.name === app)?.port;
    const c = compose.services[app];
    if (!c) problems.push(`compose: no service for app ${app}`);
    else {
      if (c.image !== image) problems.push(`compose ${app}: image ${c.image}, expected ${image}`);
      if (c.build?.target !== 'app' || c.build?.args?.APP !== app) problems.push(`compose ${app}: not built with target app and APP=${app}`);
      if (!c.healthcheck) problems.push(`compose ${app}: no healthcheck`);
      if (expectedPort !== undefined && composePort(c) !== expectedPort) problems.push(`compose ${app}: PORT ${c.environment?.PORT}, tools/apps.js says ${expectedPort}`);
      if (c.mem_limit === undefined) problems.push(`compose ${app}: no mem_limit`);
    }
    const d = find(objects, 'Deployment', app);
    if (!d) {
      problems.push(`k8s: no Deployment ${app}`);
      continue;
    }
    const container = (podSpec(d)?.containers ?? []).find((x: Container) => x.image === image);
    if (!container) {
      problems.push(`k8s Deployment ${app}: no container with image ${image}`);
      continue;
    }
    const http = (container.ports ?? []).find((p: any) => p.name === 'http');
    const port: number | undefined = http?.containerPort;
    const env = containerEnv(objects, container);
    if (port === undefined) problems.push(`k8s Deployment ${app}: no container port named http`);
    if (String(port) !== env.PORT) problems.push(`k8s Deployment ${app}: containerPort ${port} but PORT=${env.PORT}`);
    if (expectedPort !== undefined && port !== expectedPort) problems.push(`k8s Deployment ${app}: port ${port}, tools/apps.js says ${expectedPort}`);
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
 * Every data-owning service (tools/infra/postgres.js): a migrate image, a
 * compose one-shot that gates the app, a Kubernetes Job, and the same schema
 * and role in the app's and the migration's DATABASE_URL / DATABASE_SCHEMA.
 */
export function checkMigrations(services: Array<{ service: string; schema: string; role: string }>, objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  for (const { service, schema, role } of services) {
    if (!existsSync(join(root, 'libs', service, 'data-access', 'prisma', 'migrations'))) problems.push(`${service}: no migrations folder`);
    const image = `shop/${service}-migrate:${IMAGE_TAG}`;
    const name = `${service}-migrate`;
    const m = compose.services[name];
    if (!m) problems.push(`compose: no ${name} service`);
    else {
      if (m.image !== image || m.build?.target !== 'migrate' || m.build?.args?.APP !== service) problems.push(`compose ${name}: must build target migrate with APP=${service} as ${image}`);
      problems.push(...databaseEnvProblems(`compose ${name}`, m.environment ?? {}, schema, role));
    }
    const app = compose.services[service];
    if (app) {
      if (app.depends_on?.[name]?.condition !== 'service_completed_successfully') problems.push(`compose ${service}: does not wait for ${name} (service_completed_successfully)`);
      problems.push(...databaseEnvProblems(`compose ${service}`, app.environment ?? {}, schema, role));
    }
    const job = find(objects, 'Job', name);
    const jobContainer = job && (podSpec(job)?.containers ?? []).find((x: Container) => x.image === image);
    if (!jobContainer) problems.push(`k8s: no Job ${name} running ${image}`);
    else problems.push(...databaseEnvProblems(`k8s Job ${name}`, containerEnv(objects, jobContainer), schema, role));
    const d = find(objects, 'Deployment', service);
    const container = d && podSpec(d)?.containers?.[0];
    if (container) problems.push(...databaseEnvProblems(`k8s Deployment ${service}`, containerEnv(objects, container), schema, role));
  }
  return problems;
}

function databaseEnvProblems(where: string, env: Record<string, string>, schema: string, role: string): string[] {
  const problems: string[] = [];
  if (env.DATABASE_SCHEMA !== schema) problems.push(`${where}: DATABASE_SCHEMA=${env.DATABASE_SCHEMA}, expected ${schema}`);
  if (!env.DATABASE_URL?.startsWith(`postgresql://${role}:`)) problems.push(`${where}: DATABASE_URL does not connect as ${role}`);
  else if (!/@postgres:5432\/shop$/.test(env.DATABASE_URL)) problems.push(`${where}: DATABASE_URL does not point at postgres:5432/shop`);
  return problems;
}

/**
 * The variables each app reads, from its config schema (and the shared
 * service shape when it uses it); OpenTelemetry reads OTEL_* itself.
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

/** Helper variables that only build another one (k8s `$(DATABASE_PASSWORD)` inside DATABASE_URL). */
const COMPOSITION_ONLY = new Set(['DATABASE_PASSWORD']);

/**
 * Names must match what the apps read: a misspelt variable is silently
 * ignored by the app. Values from tools/apps.js (gateway upstreams, courier
 * delays) must be the same in compose and Kubernetes, with container names
 * for hosts.
 */
export function checkEnvironment(apps: string[], registry: AppDefinition[], objects: K8sObject[], compose: ComposeProject): string[] {
  const problems: string[] = [];
  // tools/apps.js points at 127.0.0.1:<port>; in containers the same app is <name>:<port>.
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
      for (const [where, env] of [
        ['compose', composeEnv],
        ['k8s', k8sEnv],
      ] as const) {
        for (const name of Object.keys(env)) {
          if (!read.has(name) && !name.startsWith('OTEL_') && !COMPOSITION_ONLY.has(name)) problems.push(`${where} ${app}: sets ${name}, which the app does not read`);
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
