/**
 * Reads the deployment manifests the way the tools that run them do: compose
 * through docker-compose (1.29, Debian's), Kubernetes through kubectl's
 * kustomize, and validates rendered objects against the Kubernetes schemas
 * (k8s-schema-check.ts). Used by the checks beside this file, in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

export const root = resolve(__dirname, '..', '..');
export const COMPOSE_FILE = join(root, 'docker-compose.yml');
export const MAKE_SECRETS = join(root, 'deploy', 'secrets', 'make-secrets.sh');
export const DOCKER_COMPOSE = '/usr/bin/docker-compose';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool with only PATH and HOME, so that nothing a developer exported changes what it sees. */
export function run(cmd: string, args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): RunResult {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    input: options.input,
    cwd: options.cwd ?? root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Rendered manifests are plain data: the checks read them field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

/** `kubectl kustomize <dir>`: the rendered YAML, or the tool's error. Nothing has to be made first. */
export function kustomize(dir: string): RunResult {
  return run('kubectl', ['kustomize', dir]);
}

const rendered = new Map<string, K8sObject[]>();

/** The objects kustomize renders from a folder; rendered once per test file, each caller gets its own copy. */
export function renderKustomize(dir: string): K8sObject[] {
  if (!rendered.has(dir)) {
    const r = kustomize(dir);
    if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr.trim()}`);
    rendered.set(dir, parseObjects(r.stdout));
  }
  return structuredClone(rendered.get(dir) as K8sObject[]);
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && o !== undefined);
}

export function readObjects(file: string): K8sObject[] {
  return parseObjects(readFileSync(file, 'utf8'));
}

export interface SchemaResult {
  object: string;
  errors: string[];
}

/** Every object of a multi-document YAML against the Kubernetes schemas, unknown fields rejected. */
export function validateAgainstSchemas(yamlText: string): SchemaResult[] {
  const r = run('sh', [join(root, 'tools', 'run.sh'), 'deploy/k8s-schema-check'], { input: yamlText });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('[')) throw new Error(`schema check crashed: ${r.stderr.trim()}`);
  return JSON.parse(last) as SchemaResult[];
}

/** The secrets deploy/secrets/make-secrets.sh makes (its NAMES), which compose and the kind overlay use. */
export function secretsMade(): string[] {
  const text = readFileSync(MAKE_SECRETS, 'utf8');
  return (/^NAMES="([^"]+)"$/m.exec(text)?.[1] ?? '').split(' ').filter(Boolean);
}

/** A YAML file of the repository, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- configuration files are plain data
export function readYaml(...path: string[]): any {
  return parse(readFileSync(join(root, ...path), 'utf8'));
}

/** `docker-compose config`: validates the files (schema, interpolation) and prints them resolved, merged in order. */
export function composeConfig(files: string | string[], quiet = false, env: Record<string, string> = {}): RunResult {
  const args = [...[files].flat().flatMap((f) => ['-f', f]), '--project-directory', root, 'config'];
  if (quiet) args.push('-q');
  return run(DOCKER_COMPOSE, args, { env });
}

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  mem_limit?: string | number;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
}

const resolved = new Map<string, ComposeProject>();

/** The compose file as docker-compose resolves it (anchors merged, variables interpolated with nothing set); once per test file. */
export function resolvedCompose(file = COMPOSE_FILE): ComposeProject {
  if (!resolved.has(file)) {
    const r = composeConfig(file);
    if (r.status !== 0) throw new Error(`docker-compose config failed: ${r.stderr.trim()}`);
    resolved.set(file, parse(r.stdout) as ComposeProject);
  }
  return structuredClone(resolved.get(file) as ComposeProject);
}

/** Folders of apps/ that are Nx apps: every one of them is deployed. */
export function appsInRepo(): string[] {
  return readdirSync(join(root, 'apps'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'apps', d.name, 'project.json')))
    .map((d) => d.name)
    .sort();
}

export interface AppDefinition {
  name: string;
  port: number;
  /** A listener of its own for /metrics (the gateway's, the storefront's): scraped there, never published. */
  metricsPort?: number;
  database?: { role: string; schema: string };
  env?: Record<string, string>;
}

export function appsRegistry(): AppDefinition[] {
  return (require(join(root, 'tools', 'apps')) as { APPS: AppDefinition[] }).APPS;
}

export function dataServices(): Array<{ service: string; schema: string; role: string }> {
  return (require(join(root, 'tools', 'infra', 'postgres')) as { SERVICES: Array<{ service: string; schema: string; role: string }> }).SERVICES;
}
