'use strict';
/**
 * `nx build <app>`: the app compiled into dist/apps/<app> (the libraries it
 * uses are built before, by their own targets), the storefront's browser app
 * bundled by Vite beside its server, then the app's deployable output in
 * dist/deploy/<app> (tools/build/app-package.js).
 *   node tools/build/build-app.js <app>
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { compileProject } = require('./swc-compile');
const { packageApp } = require('./app-package');

const root = path.resolve(__dirname, '..', '..');

function buildApp(app) {
  const projectRoot = path.join('apps', app);
  compileProject(projectRoot);
  const vite = path.join(root, projectRoot, 'vite.config.mjs');
  if (fs.existsSync(vite)) {
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', vite, '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-app: vite build of ${app} failed:\n${r.stdout}${r.stderr}`);
  }
  return packageApp(app);
}

module.exports = { buildApp };

if (require.main === module) {
  try {
    const { out, version } = buildApp(process.argv[2] ?? '');
    process.stdout.write(`${path.relative(root, out)}: version ${version}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
