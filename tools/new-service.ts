/**
 * `npm run new-service -- <name>`: a new service, the way every service is
 * written (docs/architecture.md, "Adding a service"), ready to build, test,
 * run under `npm start` and deploy:
 * - libs/<name>/domain: an aggregate with a rule, its error, its repository port, a unit test;
 * - libs/<name>/data-access: schema.prisma and its first migration (schema <name>s), the messaging tables
 *   (tools/messaging-tables.ts), the pg repository, the Prisma service and module, the schema contract test;
 * - apps/<name>: config, main, one use case over HTTP (POST and GET /api/<name>s), an integration test;
 * - its schema and login role (tools/infra/postgres.ts, deploy/postgres/init-shop.sh), its password among the
 *   secrets (deploy/secrets/make-secrets.sh), its module boundaries (eslint.config.mjs), its name among the
 *   services (libs/shared/contracts), its place in npm start (tools/apps.ts, the next free port);
 * - its deployment: compose (its migration, the service, its secret's volume), Prometheus's compose
 *   targets, k8s/base/apps/<name>.yaml and the NetworkPolicies' service ports.
 * Templates are in tools/new-service/files and fragments; every edit of an existing file is made at an
 * anchor, and a missing anchor stops the generator before it writes anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root as defaultRoot } from './lib/workspace';


/** What the templates' placeholders stand for. */
/** What the templates' placeholders stand for, by placeholder. */
export interface Tokens {
  __name__: string;
  __Name__: string;
  __NAME__: string;
  __schema__: string;
  __port__: string;
  __migration__: string;
}

function tokensFor(name: string, { port, now = new Date() }: { port: number; now?: Date }): Tokens {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return {
    __name__: name,
    __Name__: name[0].toUpperCase() + name.slice(1),
    __NAME__: name.toUpperCase(),
    __schema__: `${name}s`,
    __port__: String(port),
    __migration__: stamp,
  };
}

function fill(text: string, tokens: Tokens): string {
  return Object.entries(tokens).reduce((t, [token, value]) => t.split(token).join(value), text);
}

/** The services (schema owners) as tools/apps.ts lists them, from its text: the workspace at `root` may be another. */
function servicePorts(root: string): Array<{ name: string; port: number }> {
  const text = fs.readFileSync(path.join(root, 'tools', 'apps.ts'), 'utf8');
  return [...text.matchAll(/\{ name: '([a-z0-9]+)', port: (\d+), database: database\('\1'\)/g)].map((m) => ({ name: m[1], port: Number(m[2]) }));
}

/** One edit of an existing file: `edit(text)` returns the new text, or throws when its anchor is missing. */
function insertAfterLast(text: string, pattern: RegExp, line: string, what: string) {
  const matches = [...text.matchAll(pattern)];
  if (!matches.length) throw new Error(`${what}: anchor ${pattern} not found`);
  const last = matches[matches.length - 1];
  const end = text.indexOf('\n', last.index) + 1;
  return `${text.slice(0, end)}${line}${text.slice(end)}`;
}

function insertBefore(text: string, anchor: string, block: string, what: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`${what}: anchor "${anchor.trim()}" not found`);
  return `${text.slice(0, at)}${block}${text.slice(at)}`;
}

function replaceOnce(text: string, pattern: RegExp, replacer: (match: string, group: string) => string, what: string): string {
  if (!pattern.test(text)) throw new Error(`${what}: anchor ${pattern} not found`);
  return text.replace(pattern, replacer);
}

/** The edits of existing files, by path. */
function edits(t: Tokens, last: string, fragments: { compose: string; prometheus: string }): Record<string, (text: string) => string> {
  const { __name__: name, __NAME__: NAME, __schema__: schema, __port__: port } = t;
  const secret = `SVC_${NAME}_PASSWORD`;
  return {
    'tools/infra/postgres.ts': (s) => insertAfterLast(s, /^ {2}\{ service: '[a-z0-9]+', schema: '[a-z0-9_]+', role: 'svc_[a-z0-9]+' \},$/gm, `  { service: '${name}', schema: '${schema}', role: 'svc_${name}' },\n`, 'postgres.ts SERVICES'),
    'deploy/postgres/init-shop.sh': (s) => replaceOnce(s, /^SERVICES="([^"]+)"$/m, (_m, list) => `SERVICES="${list} ${name}:${schema}:svc_${name}"`, 'init-shop.sh SERVICES'),
    'deploy/secrets/make-secrets.sh': (s) => replaceOnce(s, /^NAMES="([^"]+)"$/m, (_m, list) => `NAMES="${list} ${secret}"`, 'make-secrets.sh NAMES'),
    'eslint.config.mjs': (s) =>
      insertBefore(s, "            { sourceTag: 'scope:gateway'", `            { sourceTag: 'scope:${name}', onlyDependOnLibsWithTags: ['scope:${name}', 'scope:shared', 'scope:platform'] },\n`, 'eslint depConstraints'),
    'libs/shared/contracts/src/events/topics.ts': (s) => replaceOnce(s, /^export const ServiceNames = \[([^\]]+)\] as const;$/m, (_m, list) => `export const ServiceNames = [${list}, '${name}'] as const;`, 'contracts ServiceNames'),
    'tools/apps.ts': (s) =>
      insertAfterLast(s, new RegExp(`^ {2}\\{ name: '${last}'.*$`, 'gm'), `  { name: '${name}', port: ${port}, database: database('${name}'), gateway: false },\n`, 'apps.ts APPS'),
    'docker-compose.yml': (s) => {
      let out = insertAfterLast(s, /^ {6}- \/run\/shop-secrets\/[a-z0-9]+-db=SVC_[A-Z0-9]+_PASSWORD$/gm, `      - /run/shop-secrets/${name}-db=${secret}\n`, 'compose secrets shares');
      out = replaceOnce(out, /^( {6}- \/run\/shop-secrets\/postgres=[A-Z0-9_,]+)$/m, (_m, line) => `${line},${secret}`, 'compose postgres share');
      out = insertAfterLast(out, /^ {6}SVC_[A-Z0-9]+_PASSWORD: \$\{SVC_[A-Z0-9]+_PASSWORD:-\}$/gm, `      ${secret}: \${${secret}:-}\n`, 'compose secrets environment');
      out = insertAfterLast(out, /^ {6}- secrets-[a-z0-9]+-db:\/run\/shop-secrets\/[a-z0-9]+-db$/gm, `      - secrets-${name}-db:/run/shop-secrets/${name}-db\n`, 'compose secrets volumes');
      out = insertAfterLast(out, /^ {6}SVC_[A-Z0-9]+_PASSWORD_FILE: \/run\/shop-secrets\/postgres\/SVC_[A-Z0-9]+_PASSWORD$/gm, `      ${secret}_FILE: /run/shop-secrets/postgres/${secret}\n`, 'compose postgres environment');
      out = insertBefore(out, '  api-gateway:\n', fragments.compose, 'compose services');
      return insertAfterLast(out, /^ {2}secrets-[a-z0-9]+-db:$/gm, `  secrets-${name}-db:\n`, 'compose volumes');
    },
    'deploy/prometheus/compose.yml': (s) => `${s.trimEnd()}\n${fragments.prometheus}`,
    'k8s/base/kustomization.yaml': (s) => insertAfterLast(s, new RegExp(`^ {2}- apps/${last}\\.yaml$`, 'gm'), `  - apps/${name}.yaml\n`, 'k8s kustomization'),
    // Every list of the services' ports (the gateway's egress, the services' ingress, Prometheus's egress) gets the new one.
    'k8s/base/network-policies.yaml': (s) => {
      const lastPort = Math.max(...servicePortsIn(s));
      const list = new RegExp(`^( +)- protocol: TCP\\n +port: ${lastPort - 1}\\n( +)- protocol: TCP\\n +port: ${lastPort}$`, 'gm');
      if (!list.test(s)) throw new Error(`network policies: no list of service ports ending at ${lastPort}`);
      return s.replace(list, (m: string, _indent: string, indent2: string) => `${m}\n${indent2}- protocol: TCP\n${indent2}  port: ${port}`);
    },
  };
}

function servicePortsIn(policies: string) {
  return [...policies.matchAll(/port: (30\d\d)$/gm)].map((m) => Number(m[1])).filter((p) => p > 3000 && p < 3100);
}

/** Every template file under `dir`, as paths relative to it (without .template). */
function templates(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.template'))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).replace(/\.template$/, ''));
}

/**
 * Generates the service in the workspace at `root`; returns the files it wrote and changed.
 */
function newService(name: string, { root = defaultRoot, now }: { root?: string; now?: Date } = {}): { created: string[]; changed: string[]; port: number } {
  if (!/^[a-z][a-z0-9]{2,19}$/.test(name ?? '')) throw new Error(`a service's name is 3 to 20 lower-case letters and digits, starting with a letter (got "${name ?? ''}")`);
  const services = servicePorts(root);
  if (!services.length) throw new Error('tools/apps.ts lists no service');
  for (const taken of [path.join('apps', name), path.join('libs', name)]) {
    if (fs.existsSync(path.join(root, taken))) throw new Error(`${taken} exists already`);
  }
  const port = Math.max(...services.map((s) => s.port)) + 1;
  const t = tokensFor(name, { port, now });
  const here = path.join(root, 'tools', 'new-service');
  const fragments = {
    compose: fill(fs.readFileSync(path.join(here, 'fragments', 'docker-compose.services.yml.fragment'), 'utf8'), t),
    prometheus: fill(fs.readFileSync(path.join(here, 'fragments', 'prometheus.job.yml.fragment'), 'utf8'), t),
  };
  // Every edit is computed before anything is written: a missing anchor leaves the workspace as it was.
  const changes = Object.entries(edits(t, services[services.length - 1].name, fragments)).map(([file, edit]) => [file, edit(fs.readFileSync(path.join(root, file), 'utf8'))]);
  const created = templates(path.join(here, 'files')).map((template) => {
    const target = fill(template, t);
    fs.mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
    fs.writeFileSync(path.join(root, target), fill(fs.readFileSync(path.join(here, 'files', `${template}.template`), 'utf8'), t));
    return target;
  });
  for (const [file, text] of changes) fs.writeFileSync(path.join(root, file), text);
  // The outbox, inbox and dead-letter-replay tables, as every service has them.
  const tables = spawnSync('sh', [path.join(root, 'tools', 'run.sh'), 'messaging-tables'], { cwd: root, encoding: 'utf8' });
  if (tables.status !== 0) throw new Error(`messaging-tables failed: ${tables.stderr}`);
  return { created, changed: changes.map(([file]) => file), port };
}

export { newService, tokensFor };

if (require.main === module) {
  try {
    const name = process.argv[2];
    const { created, changed, port } = newService(name);
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say(`new-service: ${name} on port ${port}, schema ${name}s, role svc_${name}`);
    say(`  created ${created.length} files under apps/${name}, libs/${name}, k8s/base/apps`);
    say(`  changed ${changed.join(', ')}`);
    say('next:');
    say(`  npx nx test ${name}-domain           the domain's unit tests`);
    say(`  npx nx run ${name}:integration       the service against real Postgres and Kafka (and ${name}-data-access's schema test)`);
    say(`  npm start                             runs it with the others (http://localhost:${port}); npx nx serve ${name} alone`);
    say('  npm test                              the deployment checks hold it to compose and k8s like every app');
    say(`  to serve public routes through the gateway: its upstream and contract table (apps/api-gateway), docs/architecture.md`);
  } catch (err) {
    process.stderr.write(`new-service: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
