'use strict';
/**
 * `npm test`: the whole suite on a fresh clone. Installs and builds what is
 * missing, then lint (module boundaries included), type check, unit tests,
 * and integration tests against real Postgres and Kafka (the Jest global
 * setup finds or provisions them and stops what it started).
 * Ends with one line `tests: N passed, N failed`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, step, ensureDependencies, build } = require('./lib/workspace');
const { ensurePackages } = require('./infra/system-packages');

function say(line) {
  process.stdout.write(`\n== ${line}\n`);
}

function jestRun(project, totals) {
  const out = path.join(os.tmpdir(), `shop-jest-${project}-${process.pid}.json`);
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  let error;
  try {
    // --verbose lists every test by name, so the log shows what ran against the real servers.
    const args = [jest, '--selectProjects', project, '--verbose', '--json', `--outputFile=${out}`];
    if (process.env.CI) args.push('--ci');
    step(`${project} tests`, process.execPath, args);
  } catch (err) {
    error = err;
  }
  if (fs.existsSync(out)) {
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out);
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
    totals.skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  } else if (error) {
    totals.failed += 1;
  }
  return error;
}

function main() {
  const started = Date.now();
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

  say('dependencies and build');
  ensureDependencies((l) => process.stdout.write(`${l}\n`));
  // The storefront's browser test drives Chromium; the deployment checks run docker-compose and shellcheck.
  ensurePackages(['chromium', 'docker-compose', 'shellcheck']);
  build((l) => process.stdout.write(`${l}\n`));

  say('lint (nx, with module boundaries)');
  try {
    step('lint', process.execPath, [path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run-many', '-t', 'lint', '--outputStyle=static'], { env });
  } catch (err) {
    failures.push(err.message);
  }

  say('type check');
  // The storefront's browser code has its own settings (DOM, JSX); the root config checks everything else.
  for (const project of ['tsconfig.json', 'apps/storefront/tsconfig.json', 'apps/storefront/tsconfig.spec.json']) {
    try {
      step(`type check (${project})`, process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);
    } catch (err) {
      failures.push(err.message);
    }
  }

  for (const project of ['unit', 'integration', 'e2e']) {
    say(`${project} tests`);
    const error = jestRun(project, totals);
    if (error) failures.push(error.message);
  }

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  say(`done in ${minutes} min${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(failures.length ? 1 : 0);
}

try {
  main();
} catch (err) {
  process.stderr.write(`test: ${String(err.message).split('\n')[0]}\n`);
  process.exit(1);
}
