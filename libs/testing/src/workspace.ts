import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file so tests run from any folder. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('testing: cannot find the workspace root (nx.json)');
    dir = parent;
  }
  return dir;
}

/** A short random suffix so parallel suites and reruns never share state. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A module of the workspace's tools (tools/, shared with `npm start`, `npm run compose` and CI): its
 * TypeScript source where this file runs as one (under Jest), else its build in dist/tools (tools/run.sh).
 */
function tool(...path: string[]): string {
  return __filename.endsWith('.ts') ? join(workspaceRoot(), 'tools', ...path) : join(workspaceRoot(), 'dist', 'tools', ...path);
}

/** The local infrastructure tooling (tools/infra). */
export function infra<T>(name: 'postgres' | 'kafka' | 'docker' | 'standins' | 'containers' | 'compose-stack' | 'zipkin' | 'prometheus'): T {
  return require(tool('infra', name)) as T;
}

/** The platform's app list, as `npm start` runs it (tools/apps.ts). */
export function appsRegistry(): {
  APPS: Array<{ name: string; port: number; database?: { role: string; schema: string }; env?: Record<string, string> }>;
  /** The node options every app runs with. */
  NODE_ARGS: string[];
} {
  return require(tool('apps'));
}
