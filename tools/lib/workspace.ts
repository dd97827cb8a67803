/**
 * Steps that `npm start` and `npm test` share: generate the Prisma clients and
 * compile the apps through Nx. The dependencies are installed before any tool
 * runs, by tools/run.sh, which also compiles the tools into dist/tools.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The workspace's root: the nearest folder up from here with nx.json, the
 * same whether a tool runs compiled (dist/tools/...) or from its source (a test).
 */
function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

const root = workspaceRoot(__dirname);

export type Log = (line: string) => void;

export interface StepOptions {
  /** Output kept back, shown only when the step fails. */
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
}

function step(name: string, cmd: string, args: readonly string[], options: StepOptions = {}): number {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8', env: options.env ?? process.env });
  if (r.status !== 0) {
    if (options.quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${name} failed (exit ${r.status ?? r.signal})`);
  }
  return Date.now() - started;
}

/** Nx, as the commands run it: no daemon left behind, no cloud. */
function nx(args: readonly string[], options: StepOptions = {}): number {
  const bin = path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  return step(`nx ${args.join(' ')}`, process.execPath, [bin, ...args, '--outputStyle=static'], {
    ...options,
    env: { ...(options.env ?? process.env), NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

/**
 * Every project's `build` target (tools/nx/project-targets.plugin.ts): the
 * Prisma clients, each library and app compiled into dist/, the storefront's
 * browser app, and each app's deployable output in dist/deploy/<app>. Nx
 * rebuilds only what changed since the last build (its cache, .nx/cache).
 */
function build(log: Log): void {
  const ms = nx(['run-many', '-t', 'build'], { quiet: true });
  log(`built in ${(ms / 1000).toFixed(1)} s`);
}

export { root, step, nx, build };
