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

/** Nx, as the commands run it: no daemon left behind, no cloud. */
function nx(args, options = {}) {
  const bin = path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  return step(`nx ${args.join(' ')}`, process.execPath, [bin, ...args, '--outputStyle=static'], {
    ...options,
    env: { ...(options.env ?? process.env), NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

/**
 * Every project's `build` target (tools/nx/project-targets.plugin.js): the
 * Prisma clients, each library and app compiled into dist/, the storefront's
 * browser app, and each app's deployable output in dist/deploy/<app>. Nx
 * rebuilds only what changed since the last build (its cache, .nx/cache).
 */
function build(log) {
  const ms = nx(['run-many', '-t', 'build'], { quiet: true });
  log(`built in ${(ms / 1000).toFixed(1)} s`);
}

module.exports = { root, step, nx, ensureDependencies, build };
