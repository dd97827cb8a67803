/**
 * The service catalog (Backstage's `catalog-info.yaml`, one per app, listed by
 * the root one) read as data, and compared with what the code and the
 * manifests say: the events each service publishes and handles and their
 * topics (libs/shared/contracts, the handlers' `@EventPattern`s, the mappers'
 * `type:`), the gateway's upstreams, the services' calls to each other (the
 * `*_URL` of their manifests and the NetworkPolicies that allow them), each
 * service's port and Postgres schema (k8s manifests, tools/apps.ts,
 * tools/infra/postgres.ts, schema.prisma). `checkCatalog` answers one line per
 * disagreement; service-catalog.spec.ts holds the tree to none.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CatalogEntity, parseRef, readCatalog as readCatalogAt } from '@shop/platform/service-catalog';
import { allEventVersions, EventCatalog, EventSubscriptions, isEventType } from '@shop/shared/contracts';

export const root = resolve(__dirname, '..', '..');

export type { CatalogEntity };

/** The repository's catalog, or a copy of it elsewhere. */
export const readCatalog = (catalogRoot = root): CatalogEntity[] => readCatalogAt(catalogRoot);

interface K8sObject {
  kind: string;
  metadata: { name: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
}

interface Selector {
  matchLabels?: Record<string, string>;
}

/** What the code and the manifests say, gathered once. */
export interface CodeFacts {
  /** The folders of apps/. */
  apps: string[];
  /** Event types each app writes to its outbox (`type: '<event>'` in its sources). */
  published: Record<string, string[]>;
  /** Event types each app handles (`@EventPattern('<event>')`). */
  consumed: Record<string, string[]>;
  /** The events each consumer group handles, as the contracts list them (EventSubscriptions). */
  subscriptions: Record<string, readonly string[]>;
  /** Event type → its topic and the service that may publish it (the contracts). */
  events: Record<string, { topic: string; source: string }>;
  /** Event type → the topics of all its versions (a newer version of an event has a topic of its own). */
  versionTopics: Record<string, string[]>;
  gatewayUpstreams: string[];
  /** Each app's port: its k8s Service, and tools/apps.ts. */
  k8sPorts: Record<string, number>;
  localPorts: Record<string, number>;
  /** Each service's schema and role: its k8s Deployment's DATABASE_SCHEMA, and tools/infra/postgres.ts. */
  k8sSchemas: Record<string, string>;
  databases: Record<string, { schema: string; role: string }>;
  /** The apps each app's Deployment is told to call (`<NAME>_URL: http://<app>:<port>`). */
  k8sCalls: Record<string, Array<{ app: string; port: number }>>;
  /** Calls between apps the NetworkPolicies allow both ways (egress of the caller, ingress of the callee). */
  allowedCalls: Array<{ from: string; to: string; port: number }>;
}

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

function eventsIn(app: string, pattern: RegExp, repoRoot: string): string[] {
  const found = new Set<string>();
  for (const file of sources(join(repoRoot, 'apps', app, 'src'))) {
    for (const [, type] of readFileSync(file, 'utf8').matchAll(pattern)) if (isEventType(type)) found.add(type);
  }
  return [...found].sort();
}

function k8sObjects(repoRoot: string): K8sObject[] {
  const dir = join(repoRoot, 'k8s', 'base');
  const files = [...readdirSync(join(dir, 'apps')).map((f) => join(dir, 'apps', f)), join(dir, 'network-policies.yaml')];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => Boolean(o)),
  );
}

const matches = (selector: Selector | undefined, labels: Record<string, string>) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

interface PolicyRule {
  ports?: Array<{ port: number }>;
  to?: Array<{ podSelector?: Selector; namespaceSelector?: Selector }>;
  from?: Array<{ podSelector?: Selector; namespaceSelector?: Selector }>;
}

/** Whether some policy selecting `self` lets it talk to `peer` on `port` in this direction. */
function allows(policies: K8sObject[], direction: 'egress' | 'ingress', self: Record<string, string>, peer: Record<string, string>, port: number): boolean {
  const peers = direction === 'egress' ? 'to' : 'from';
  return policies.some(
    (p) =>
      matches(p.spec.podSelector, self) &&
      ((p.spec[direction] ?? []) as PolicyRule[]).some(
        (rule) =>
          (!rule.ports || rule.ports.some((q) => q.port === port)) &&
          (!rule[peers] || rule[peers].some((q) => !q.namespaceSelector && q.podSelector && matches(q.podSelector, peer))),
      ),
  );
}

/** The gateway's `UPSTREAM_NAMES` (apps/api-gateway/src/upstreams/upstreams.ts), read from its source: an app is not a library to import. */
function gatewayUpstreams(repoRoot: string): string[] {
  const text = readFileSync(join(repoRoot, 'apps', 'api-gateway', 'src', 'upstreams', 'upstreams.ts'), 'utf8');
  const names = /export const UPSTREAM_NAMES = \[([^\]]*)\]/.exec(text);
  if (!names) throw new Error('apps/api-gateway/src/upstreams/upstreams.ts no longer declares UPSTREAM_NAMES = [...]');
  return [...names[1].matchAll(/'([a-z-]+)'/g)].map(([, name]) => name);
}

export function readCode(repoRoot = root): CodeFacts {
  const apps = readdirSync(join(repoRoot, 'apps'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const objects = k8sObjects(repoRoot);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const services = objects.filter((o) => o.kind === 'Service');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const podLabels = Object.fromEntries(deployments.map((d) => [d.metadata.name, (d.spec.template.metadata.labels ?? {}) as Record<string, string>]));
  const k8sPorts = Object.fromEntries(services.map((s) => [s.metadata.name, Number(s.spec.ports[0].port)]));
  const env = (d: K8sObject): Array<{ name: string; value?: string }> =>
    ((d.spec.template.spec.containers ?? []) as Array<{ name: string; env?: Array<{ name: string; value?: string }> }>).find((c) => c.name === d.metadata.name)?.env ?? [];

  const k8sSchemas: Record<string, string> = {};
  const k8sCalls: Record<string, Array<{ app: string; port: number }>> = {};
  for (const d of deployments) {
    const vars = env(d);
    const schema = vars.find((v) => v.name === 'DATABASE_SCHEMA')?.value;
    if (schema) k8sSchemas[d.metadata.name] = schema;
    k8sCalls[d.metadata.name] = vars
      .filter((v) => /_URL$/.test(v.name) && v.name !== 'DATABASE_URL')
      .map((v) => /^https?:\/\/([a-z0-9-]+):(\d+)/.exec(v.value ?? ''))
      .filter((m): m is RegExpExecArray => Boolean(m) && (m as RegExpExecArray)[1] in podLabels)
      .map((m) => ({ app: m[1], port: Number(m[2]) }));
  }

  const allowedCalls: CodeFacts['allowedCalls'] = [];
  for (const from of Object.keys(podLabels)) {
    for (const to of Object.keys(podLabels)) {
      const port = k8sPorts[to];
      if (from === to || port === undefined) continue;
      if (allows(policies, 'egress', podLabels[from], podLabels[to], port) && allows(policies, 'ingress', podLabels[to], podLabels[from], port)) {
        allowedCalls.push({ from, to, port });
      }
    }
  }

  // The plain CommonJS registries npm start and the provisioning read.
  const { APPS } = require(join(repoRoot, 'tools', 'apps')) as { APPS: Array<{ name: string; port: number }> };
  const { SERVICES } = require(join(repoRoot, 'tools', 'infra', 'postgres')) as { SERVICES: Array<{ service: string; schema: string; role: string }> };

  return {
    apps,
    published: Object.fromEntries(apps.map((a) => [a, eventsIn(a, /\btype:\s*'([a-z]+\.[a-z-]+)'/g, repoRoot)])),
    consumed: Object.fromEntries(apps.map((a) => [a, eventsIn(a, /@EventPattern\(\s*'([^']+)'/g, repoRoot)])),
    subscriptions: EventSubscriptions,
    events: Object.fromEntries(Object.entries(EventCatalog).map(([type, def]) => [type, { topic: def.topic, source: def.source }])),
    versionTopics: allEventVersions().reduce<Record<string, string[]>>((all, e) => ({ ...all, [e.type]: [...(all[e.type] ?? []), e.topic] }), {}),
    gatewayUpstreams: gatewayUpstreams(repoRoot),
    k8sPorts,
    localPorts: Object.fromEntries(APPS.map((a) => [a.name, a.port])),
    k8sSchemas,
    databases: Object.fromEntries(SERVICES.map((s) => [s.service, { schema: s.schema, role: s.role }])),
    k8sCalls,
    allowedCalls,
  };
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const show = (a: string[]) => (a.length ? [...a].sort().join(', ') : 'nothing');

/** `## api-gateway` → `api-gateway`, as GitHub makes anchors. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

/**
 * Every disagreement between the catalog and the code, one line each, naming
 * the file and entity. `repoRoot` is where linked documents are looked up.
 */
export function checkCatalog(entities: CatalogEntity[], facts: CodeFacts, repoRoot = root): string[] {
  const errors: string[] = [];
  const byRef = new Map(entities.map((e) => [`${e.kind.toLowerCase()}:${e.metadata.name}`, e]));
  const at = (e: CatalogEntity) => `${e.file}: ${e.kind} ${e.metadata.name}`;
  const refs = (e: CatalogEntity, field: string, kind: string) => ((e.spec?.[field] ?? []) as string[]).map((r) => parseRef(r, kind));
  const topicOfApi = (name: string) => byRef.get(`api:${name}`)?.metadata.annotations?.['shop/topic'];

  for (const e of entities) {
    for (const [field, kind] of [
      ['providesApis', 'api'],
      ['consumesApis', 'api'],
      ['dependsOn', 'component'],
      ['owner', 'group'],
      ['system', 'system'],
    ] as const) {
      const values = e.spec?.[field] === undefined ? [] : ([] as string[]).concat(e.spec[field] as string | string[]);
      for (const value of values) {
        const ref = parseRef(value, kind);
        if (!byRef.has(`${ref.kind}:${ref.name}`)) errors.push(`${at(e)}: ${field} names ${value}, which no entity of the catalog is`);
      }
    }
    if (['Component', 'API', 'Resource', 'System'].includes(e.kind) && !e.spec?.owner) errors.push(`${at(e)}: no owner`);
    if (['Component', 'API'].includes(e.kind) && !e.spec?.lifecycle) errors.push(`${at(e)}: no lifecycle`);
    for (const link of e.metadata.links ?? []) {
      if (/^[a-z]+:\/\//.test(link.url)) continue;
      const [path, anchor] = link.url.split('#');
      const target = join(repoRoot, dirname(e.file), path);
      if (!existsSync(target)) {
        errors.push(`${at(e)}: links ${link.url}, which does not exist`);
        continue;
      }
      const anchors = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map(([, h]) => anchorOf(h));
      if (anchor && !anchors.includes(anchor)) errors.push(`${at(e)}: links ${link.url}, a heading ${relative(repoRoot, target)} does not have`);
    }
  }

  // Every topic of the contracts is one API entity, provided by the service its events come from.
  const topics = new Map<string, string>();
  for (const [type, { source }] of Object.entries(facts.events)) for (const topic of facts.versionTopics[type] ?? []) topics.set(topic, source);
  const topicApis = entities.filter((e) => e.kind === 'API' && e.metadata.annotations?.['shop/topic']);
  for (const [topic, source] of topics) {
    const apis = topicApis.filter((e) => e.metadata.annotations?.['shop/topic'] === topic);
    if (apis.length !== 1) errors.push(`topic ${topic}: ${apis.length} API entities name it, expected one`);
    else if (apis[0].spec?.type !== 'asyncapi') errors.push(`${at(apis[0])}: a topic is an asyncapi API`);
    else if (apis[0].file !== `apps/${source}/catalog-info.yaml`) errors.push(`${at(apis[0])}: topic ${topic} belongs to ${source}, so does its entity`);
  }
  for (const api of topicApis) {
    const topic = api.metadata.annotations?.['shop/topic'] as string;
    if (!topics.has(topic)) errors.push(`${at(api)}: topic ${topic} is not a topic of the contracts`);
  }

  // The contracts' list of each group's events is its handlers'.
  const groups = new Set([...Object.keys(facts.subscriptions), ...Object.keys(facts.consumed).filter((app) => facts.consumed[app].length)]);
  for (const service of groups) {
    const types = [...(facts.subscriptions[service] ?? [])];
    if (!same(types, facts.consumed[service] ?? [])) {
      errors.push(`libs/shared/contracts: EventSubscriptions.${service} lists ${show(types)}; its handlers take ${show(facts.consumed[service] ?? [])}`);
    }
  }

  const components = entities.filter((e) => e.kind === 'Component');
  const appComponents = new Map(components.filter((c) => c.file === `apps/${c.metadata.name}/catalog-info.yaml`).map((c) => [c.metadata.name, c]));
  for (const app of facts.apps) if (!appComponents.has(app)) errors.push(`apps/${app}: no Component ${app} in apps/${app}/catalog-info.yaml (listed by the root catalog-info.yaml)`);

  for (const [app, c] of appComponents) {
    const annotations = c.metadata.annotations ?? {};
    const where = at(c);

    // Its port.
    const port = Number(annotations['shop/port']);
    if (facts.k8sPorts[app] !== port) errors.push(`${where}: port ${annotations['shop/port'] ?? 'missing'}, its k8s Service says ${facts.k8sPorts[app] ?? 'nothing'}`);
    if (facts.localPorts[app] !== port) errors.push(`${where}: port ${annotations['shop/port'] ?? 'missing'}, tools/apps.ts says ${facts.localPorts[app] ?? 'nothing'}`);

    // Its bars and its runbook.
    const slos = Object.entries(annotations).filter(([k]) => k.startsWith('shop/slo-'));
    if (!slos.length) errors.push(`${where}: no SLO (shop/slo-* annotations)`);
    for (const [k, v] of slos) if (!/^\d+(\.\d+)?$/.test(v)) errors.push(`${where}: ${k} is ${v}, not a number`);
    if (!(c.metadata.links ?? []).some((l) => l.title === 'Runbook')) errors.push(`${where}: no Runbook link`);

    // The events it publishes and handles, and their topics.
    const published = facts.published[app] ?? [];
    const consumed = facts.consumed[app] ?? [];
    if (!same(list(annotations['shop/publishes']), published)) {
      errors.push(`${where}: shop/publishes lists ${show(list(annotations['shop/publishes']))}; its code publishes ${show(published)}`);
    }
    for (const type of published) if (facts.events[type]?.source !== app) errors.push(`${where}: publishes ${type}, whose source in the contracts is ${facts.events[type]?.source}`);
    if (!same(list(annotations['shop/consumes']), consumed)) {
      errors.push(`${where}: shop/consumes lists ${show(list(annotations['shop/consumes']))}; its handlers take ${show(consumed)}`);
    }
    const providedTopics = refs(c, 'providesApis', 'api').map((r) => topicOfApi(r.name)).filter((t): t is string => Boolean(t));
    const consumedTopics = refs(c, 'consumesApis', 'api').map((r) => topicOfApi(r.name)).filter((t): t is string => Boolean(t));
    const publishedTopics = [...new Set(published.flatMap((t) => facts.versionTopics[t] ?? []))];
    const handledTopics = [...new Set(consumed.map((t) => facts.events[t]?.topic).filter(Boolean))];
    if (!same(providedTopics, publishedTopics)) errors.push(`${where}: provides the topics ${show(providedTopics)}; its code publishes to ${show(publishedTopics)}`);
    if (!same(consumedTopics, handledTopics)) errors.push(`${where}: consumes the topics ${show(consumedTopics)}; its handlers read ${show(handledTopics)}`);

    // The apps it calls: its manifest's URLs, the NetworkPolicies, and for the gateway its upstreams.
    const calls = refs(c, 'dependsOn', 'component')
      .filter((r) => r.kind === 'component')
      .map((r) => r.name);
    const told = (facts.k8sCalls[app] ?? []).map((t) => t.app);
    const allowed = facts.allowedCalls.filter((a) => a.from === app).map((a) => a.to);
    if (!same(calls, told)) errors.push(`${where}: depends on ${show(calls)}; its k8s Deployment is given the URLs of ${show(told)}`);
    if (!same(calls, allowed)) errors.push(`${where}: depends on ${show(calls)}; the NetworkPolicies let it call ${show(allowed)}`);
    for (const t of facts.k8sCalls[app] ?? []) {
      if (facts.k8sPorts[t.app] !== t.port) errors.push(`${where}: its k8s Deployment calls ${t.app} on ${t.port}, whose Service listens on ${facts.k8sPorts[t.app]}`);
    }
    if (app === 'api-gateway') {
      if (!same(calls, facts.gatewayUpstreams)) errors.push(`${where}: depends on ${show(calls)}; its upstreams (src/upstreams) are ${show(facts.gatewayUpstreams)}`);
      const apis = refs(c, 'consumesApis', 'api').map((r) => r.name);
      for (const u of facts.gatewayUpstreams) if (!apis.includes(`${u}-api`)) errors.push(`${where}: calls ${u} but does not consume ${u}-api`);
    }

    // The schema it owns.
    const database = facts.databases[app];
    const schemas = refs(c, 'dependsOn', 'component')
      .filter((r) => r.kind === 'resource')
      .map((r) => byRef.get(`resource:${r.name}`))
      .filter((r): r is CatalogEntity => Boolean(r?.metadata.annotations?.['shop/postgres-schema']));
    const declared = schemas.map((s) => s.metadata.annotations?.['shop/postgres-schema'] as string);
    const expected = database ? [database.schema] : [];
    if (!same(declared, expected)) errors.push(`${where}: owns the schemas ${show(declared)}; tools/infra/postgres.ts gives it ${show(expected)}`);
    if (facts.k8sSchemas[app] !== database?.schema) errors.push(`${where}: its k8s Deployment uses the schema ${facts.k8sSchemas[app] ?? 'none'}, tools/infra/postgres.ts ${database?.schema ?? 'none'}`);
    for (const s of schemas) {
      const a = s.metadata.annotations ?? {};
      if (s.file !== c.file) errors.push(`${at(s)}: the schema ${a['shop/postgres-schema']} is ${app}'s, so is its entity`);
      if (database && a['shop/postgres-role'] !== database.role) errors.push(`${at(s)}: role ${a['shop/postgres-role']}, tools/infra/postgres.ts says ${database.role}`);
      const prisma = join(repoRoot, a['shop/prisma-schema'] ?? '');
      if (!a['shop/prisma-schema'] || !existsSync(prisma)) errors.push(`${at(s)}: shop/prisma-schema ${a['shop/prisma-schema'] ?? 'missing'} does not exist`);
      else if (!readFileSync(prisma, 'utf8').includes(`Postgres schema \`${a['shop/postgres-schema']}\`, role \`${a['shop/postgres-role']}\``)) {
        errors.push(`${at(s)}: ${a['shop/prisma-schema']} is not the schema \`${a['shop/postgres-schema']}\` of \`${a['shop/postgres-role']}\``);
      }
    }
  }
  return errors;
}
