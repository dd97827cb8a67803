'use strict';
/**
 * Steps that `npm start` and `npm test` share on a fresh clone: install the
 * locked dependencies, generate the Prisma clients, compile the apps. Only
 * Node built-ins here: this runs before node_modules exists.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');

function step(name, cmd, args, options = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8', env: options.env ?? process.env });
  if (r.status !== 0) {
    if (options.quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${name} failed (exit ${r.status ?? r.signal})`);
  }
  return Date.now() - started;
}

function newer(a, b) {
  return fs.existsSync(a) && (!fs.existsSync(b) || fs.statSync(a).mtimeMs > fs.statSync(b).mtimeMs);
}

/** `npm ci` when node_modules is missing or older than the lock file. */
function ensureDependencies(log) {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed) && !newer(lock, installed)) return;
  log('installing dependencies (npm ci)');
  const ms = step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { quiet: true });
  log(`dependencies installed in ${(ms / 1000).toFixed(1)} s`);
}

/**
 * Prisma clients, then the compiled apps and libraries in dist/, then the
 * storefront's browser app (Vite) beside its compiled server. swc skips the
 * browser sources (tsx, the generated API types, the Vite config).
 */
function build(log) {
  step('prisma generate', process.execPath, [path.join(root, 'tools', 'prisma-generate.js')], { quiet: true });
  const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  let ms = step('build', process.execPath, [
    swc, 'apps', 'libs', 'bench', 'chaos', '-d', 'dist', '--delete-dir-on-start', '--quiet',
    '--ignore', '**/*.spec.ts,**/*.int-spec.ts,apps/storefront/src/web/**,apps/storefront/src/api/**,apps/storefront/*.mjs',
  ], { quiet: true });
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  ms += step('storefront build', process.execPath, [vite, 'build', '--config', 'apps/storefront/vite.config.mjs', '--logLevel', 'warn'], { quiet: true });
  log(`built in ${(ms / 1000).toFixed(1)} s`);
}

module.exports = { root, step, ensureDependencies, build };
