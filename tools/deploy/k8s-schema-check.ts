/**
 * Validates Kubernetes objects against the Kubernetes OpenAPI schemas that the
 * kubernetes-models package compiles into validators (a current release), and
 * rejects fields those schemas do not describe, as `kubectl --validate=strict`
 * would: each validator reads every property its schema knows, so a property
 * it never read is unknown (maps, such as labels, are enumerated whole).
 *
 *   sh tools/run.sh deploy/k8s-schema-check < rendered.yaml
 * Prints one JSON line: [{ object, errors: [..] }] for every object; exits 1
 * when any object has an error. A process of its own: kubernetes-models is
 * ES modules, which Node loads here and Jest's module system would not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A validator kubernetes-models compiled from one schema (ajv's). */
type Validate = ((value: unknown) => boolean) & { errors?: SchemaError[] | null };

interface SchemaError {
  instancePath: string;
  keyword: string;
  params?: Record<string, unknown>;
}

/** A document of the rendered YAML, as far as the check reads it before the schema does. */
interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: string };
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

const schemasDir = join(dirname(require.resolve('kubernetes-models/package.json')), '_schemas');

/** `apps/v1` + `Deployment` -> IoK8sApiAppsV1Deployment, the package's name for that schema. */
function schemaName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `IoK8sApi${cap(group.split('.')[0])}${cap(version)}${kind}`;
}

/** Wraps an object so every property read (or key enumeration) is recorded by path. */
function track(value: unknown, path: string, seen: Set<string>, enumerated: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      seen.add(`${path}/${key}`);
      return track(child, `${path}/${key}`, seen, enumerated);
    },
    has(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') seen.add(`${path}/${key}`);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      enumerated.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(value: unknown, path: string, seen: Set<string>, enumerated: Set<string>, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, `${path}/${i}`, seen, enumerated, out));
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (!enumerated.has(path) && !seen.has(childPath)) {
      out.push(`${childPath}: unknown field "${key}"`);
      continue;
    }
    unknownFields(child, childPath, seen, enumerated, out);
  }
}

function describe(error: SchemaError): string {
  const where = error.instancePath || '/';
  const params = Object.entries(error.params ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${where}: ${error.keyword}${params ? ` (${params})` : ''}`;
}

async function check(object: K8sObject | null): Promise<{ object: string; errors: string[] }> {
  const name = `${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}`;
  if (!object || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return { object: name, errors: ['not a Kubernetes object: apiVersion and kind are required'] };
  }
  const file = join(schemasDir, `${schemaName(object.apiVersion, object.kind)}.js`);
  if (!existsSync(file)) return { object: name, errors: [`no schema for ${object.apiVersion} ${object.kind}`] };
  // An ES module: Node (20.19 and later) loads it with require.
  const { validate } = require(file) as { validate: Validate };
  // kustomize wraps a Secret's long base64 values over lines, and Kubernetes decodes them ignoring line
  // breaks (Go's base64): the schema's "byte" format does not, so they are joined before it looks.
  if (object.kind === 'Secret' && object.data) {
    object = { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\n/g, '')])) };
  }
  const seen = new Set<string>();
  const enumerated = new Set<string>();
  const valid = validate(track(object, '', seen, enumerated));
  const errors: string[] = valid ? [] : (validate.errors ?? []).map(describe);
  unknownFields(object, '', seen, enumerated, errors);
  return { object: name, errors };
}

async function main(): Promise<void> {
  const text = readFileSync(0, 'utf8');
  const docs = parseAllDocuments(text);
  const results: Array<{ object: string; errors: string[] }> = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) {
      results.push({ object: '(yaml)', errors: doc.errors.map((e) => e.message) });
      continue;
    }
    const object = doc.toJS() as K8sObject | null | undefined;
    if (object === null || object === undefined) continue;
    results.push(await check(object));
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(results.some((r) => r.errors.length) ? 1 : 0);
}

main().catch((err: Error) => {
  process.stderr.write(`k8s-schema-check: ${err.message}\n`);
  process.exit(2);
});
