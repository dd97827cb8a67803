'use strict';
/**
 * Compiles one project's TypeScript into dist/, beside where it sits in the
 * source (libs/order/domain/src/x.ts → dist/libs/order/domain/src/x.js), with
 * the workspace's one compiler configuration (.swcrc: CommonJS, decorators,
 * path aliases rewritten to relative paths, which therefore hold in dist/ as
 * in the source). Tests are not compiled; nor are the storefront's browser
 * sources, which Vite bundles. The project's old output goes first, so a
 * deleted source leaves no stale module behind.
 *   node tools/build/swc-compile.js <project root>
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const IGNORE = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/src/web/**', '**/src/api/**', '**/*.mjs'];

function compileProject(projectRoot) {
  const source = path.join(root, projectRoot);
  if (!fs.existsSync(source)) throw new Error(`swc-compile: no project at ${projectRoot}`);
  fs.rmSync(path.join(root, 'dist', projectRoot), { recursive: true, force: true });
  const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  const r = spawnSync(process.execPath, [swc, projectRoot, '-d', 'dist', '--quiet', '--ignore', IGNORE.join(',')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`swc-compile: ${projectRoot} failed:\n${r.stdout}${r.stderr}`);
}

module.exports = { compileProject };

if (require.main === module) {
  try {
    compileProject(process.argv[2] ?? '');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
