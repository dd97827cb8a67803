/**
 * `nx build <app>`: the app compiled into dist/apps/<app> (the libraries it
 * uses are built before, by their own targets), the storefront's browser app
 * bundled by Vite beside its server, then the app's deployable output in
 * dist/deploy/<app> (tools/build/app-package.ts).
 *   sh tools/run.sh build/build-app <app>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { compileProject } from './swc-compile';
import { packageApp } from './app-package';
import { root } from '../lib/workspace';


function buildApp(app: string): { out: string; version: string; files: string[]; dependencies: Record<string, string> } {
  const projectRoot = path.join('apps', app);
  compileProject(projectRoot);
  const vite = path.join(root, projectRoot, 'vite.config.mjs');
  if (fs.existsSync(vite)) {
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', vite, '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-app: vite build of ${app} failed:\n${r.stdout}${r.stderr}`);
  }
  return packageApp(app);
}

export { buildApp };

if (require.main === module) {
  try {
    const { out, version } = buildApp(process.argv[2] ?? '');
    process.stdout.write(`${path.relative(root, out)}: version ${version}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
