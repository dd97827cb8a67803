/**
 * Compiles one project's TypeScript into dist/, beside where it sits in the
 * source (libs/order/domain/src/x.ts → dist/libs/order/domain/src/x.js), with
 * the workspace's one compiler configuration (.swcrc: CommonJS, decorators,
 * path aliases rewritten to relative paths, which therefore hold in dist/ as
 * in the source). Tests are not compiled; nor are the storefront's browser
 * sources, which Vite bundles. The project's old output goes first, so a
 * deleted source leaves no stale module behind.
 *   sh tools/run.sh build/swc-compile <project root>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from '../lib/workspace';

const IGNORE = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/src/web/**', '**/src/api/**', '**/*.mjs'];

function compileProject(projectRoot: string): void {
  const source = path.join(root, projectRoot);
  if (!fs.existsSync(source)) throw new Error(`swc-compile: no project at ${projectRoot}`);
  fs.rmSync(path.join(root, 'dist', projectRoot), { recursive: true, force: true });
  const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  const r = spawnSync(process.execPath, [swc, projectRoot, '-d', 'dist', '--quiet', '--ignore', IGNORE.join(',')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`swc-compile: ${projectRoot} failed:\n${r.stdout}${r.stderr}`);
}

export { compileProject };

if (require.main === module) {
  try {
    compileProject(process.argv[2] ?? '');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
