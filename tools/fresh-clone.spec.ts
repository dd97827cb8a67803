import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The entry points a newcomer runs first (`npm start`, `npm test`, `npm run
 * compose`) on a fresh clone, which has no node_modules: each must reach its
 * `npm ci` before it loads any package. The preload below makes this checkout
 * look fresh to them: no package resolves, the install marker is missing, and
 * the `npm ci` they start ends the process with a marker instead of installing.
 */
const PRELOAD = `
const Module = require('node:module');
const fs = require('node:fs');
const childProcess = require('node:child_process');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (!Module.isBuiltin(request) && !request.startsWith('.') && !request.startsWith('/')) {
    throw Object.assign(new Error('fresh clone: ' + request + ' loaded before npm ci'), { code: 'MODULE_NOT_FOUND' });
  }
  return resolveFilename.call(this, request, ...rest);
};
const existsSync = fs.existsSync;
fs.existsSync = (p) => (String(p).endsWith('node_modules/.package-lock.json') ? false : existsSync(p));
const spawn = childProcess.spawnSync;
childProcess.spawnSync = (cmd, args, options) => {
  if (cmd === 'npm' && args[0] === 'ci') {
    process.stderr.write('npm ci reached\\n');
    process.exit(0);
  }
  return spawn(cmd, args, options);
};
`;

describe('a fresh clone', () => {
  const root = resolve(__dirname, '..');
  let dir: string;
  let preload: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fresh-clone-spec-'));
    preload = join(dir, 'fresh.js');
    writeFileSync(preload, PRELOAD);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['npm start', ['tools/start.js']],
    ['npm test', ['tools/test.js']],
    ['npm run compose -- up', ['tools/compose.js', 'up']],
  ])('%s installs the dependencies before it loads one', (_name, args) => {
    const run = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toContain('npm ci reached');
    expect(run.stderr).not.toContain('loaded before npm ci');
    expect(run.status).toBe(0);
  });
});
