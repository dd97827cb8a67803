/**
 * docker-compose.yml on an engine, as `npm run compose` and the compose smoke
 * (e2e/compose) bring it up and take it down.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import { ensurePackages } from './system-packages';
import type { EngineEnv } from './docker';
import type { Log } from '../lib/workspace';

/** Compose v2 (`docker compose`) where the CLI has it, else Debian's docker-compose 1.29. */
function composeCommand(env: EngineEnv): { cmd: string; args: string[]; env: Record<string, string> } {
  const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', env: { ...process.env, ...env } });
  if (v2.status === 0) return { cmd: 'docker', args: ['compose'], env: {} };
  ensurePackages(['docker-compose']);
  // docker-compose 1.29 builds through the engine's API (its own classic builder): Debian's engine has no
  // BuildKit plugin for the CLI it would otherwise hand the build to.
  return { cmd: 'docker-compose', args: [], env: { COMPOSE_DOCKER_CLI_BUILD: '0', DOCKER_BUILDKIT: '0' } };
}

/** One compose project on an engine: docker-compose.yml and the `files` over it. */
export interface Stack {
  rootDir: string;
  env: EngineEnv;
  project: string;
  files?: string[];
  log?: Log;
}

/** How compose runs: `inherit` shows its output; `build: false` starts images built already. */
export interface ComposeOptions {
  inherit?: boolean;
  build?: boolean;
}

/**
 * Runs compose on the stack; `inherit` shows its output (a person watching), else it is kept in
 * .local/compose-<project>.log and its tail goes into the error.
 */
function compose(stack: Stack, args: readonly string[], { inherit = false }: ComposeOptions = {}): string {
  const c = composeCommand(stack.env);
  const files = [path.join(stack.rootDir, 'docker-compose.yml'), ...(stack.files ?? [])].flatMap((f) => ['-f', f]);
  const logFile = path.join(stack.rootDir, '.local', `compose-${stack.project}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const r = spawnSync(c.cmd, [...c.args, '--project-name', stack.project, '--project-directory', stack.rootDir, ...files, ...args], {
    cwd: stack.rootDir,
    // With the vfs storage driver, removing a container of a large image takes the engine longer than compose's
    // default 60 s per API call (seven apps' containers at once timed out `down`).
    env: { COMPOSE_HTTP_TIMEOUT: '600', ...process.env, ...stack.env, ...c.env },
    encoding: 'utf8',
    stdio: inherit ? 'inherit' : 'pipe',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!inherit) fs.appendFileSync(logFile, `$ compose ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
  if (r.error || r.status !== 0) {
    const tail = inherit ? '' : `:\n${`${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n')}`;
    throw new Error(`compose ${args[0]} failed (exit ${r.status ?? r.error?.message}; log ${path.relative(stack.rootDir, logFile)})${tail}`);
  }
  return r.stdout ?? '';
}

/**
 * The images compose builds from the Dockerfile (one per app: the services' `build` sections name them), with
 * their tags as compose resolves them in `env` (`${SHOP_<APP>_VERSION:-dev}`).
 */
function builtImages(rootDir: string, env: Record<string, string | undefined> = {}): string[] {
  const file = YAML.parse(fs.readFileSync(path.join(rootDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { build?: unknown; image: string }> };
  const interpolate = (text: string) => text.replace(/\$\{(\w+):-([^}]*)\}/g, (_m, name: string, fallback: string) => env[name] || fallback);
  return [...new Set(Object.values(file.services).filter((s) => s.build).map((s) => interpolate(s.image)))].sort();
}

/**
 * Starts `services` (every service when empty) and what they depend on, detached; builds the images first
 * unless `build: false` (they were built and tagged already, tools/infra/images.ts).
 */
function up(stack: Stack, services: string[] = [], options: ComposeOptions = {}): void {
  compose(stack, ['up', ...(options.build === false ? [] : ['--build']), '--detach', ...services], options);
}

/** Stops and removes the stack's containers, networks and volumes. */
function down(stack: Stack, options: ComposeOptions = {}): void {
  compose(stack, ['down', '--volumes', '--remove-orphans'], options);
}

/** What is left of a project on the engine: containers, networks and volumes compose labelled as its. */
function leftovers(stack: Pick<Stack, 'project' | 'env'>): { containers: string[]; networks: string[]; volumes: string[] } {
  const label = `label=com.docker.compose.project=${stack.project}`;
  const list = (args: readonly string[]) => {
    const r = spawnSync('docker', args, { encoding: 'utf8', env: { ...process.env, ...stack.env } });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  return {
    containers: list(['ps', '--all', '--quiet', '--filter', label]),
    networks: list(['network', 'ls', '--quiet', '--filter', label]),
    volumes: list(['volume', 'ls', '--quiet', '--filter', label]),
  };
}

/** Waits until `url` answers 200. */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`compose: ${url} not ready within ${timeoutMs / 1000} s (${last})`);
}

export { compose, builtImages, up, down, leftovers, waitForHttp };
