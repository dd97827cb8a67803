/**
 * `npm test`: the whole suite on a fresh clone. Installs what is missing, then
 * every project's `build`, `lint` (module boundaries included) and unit `test`
 * targets through Nx (which reruns only what changed since its last run), type
 * check, integration and end-to-end tests against real Postgres and Kafka (one
 * Jest run each, whose global setup finds or provisions them once and stops
 * what it started), and last
 * the containers: the compose smoke on the images built from this repository,
 * and, where the suites above ran on the local servers, the integration suites
 * once more on testcontainers. Ends with one line `tests: N passed, N failed`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root, step, nx, build } from './lib/workspace';
import { ensurePackages } from './infra/system-packages';
import { engineDriver } from './infra/docker';
import { nodeAtLeast, PreparedEngine, prepareContainers, releaseContainers, testcontainersMinimumNode, testInfra } from './infra/containers';
import { nodeDistribution, pinnedImages } from './infra/standins';
import { UNIT_RESULTS } from './nx/project-targets.plugin';

/** The tests counted over every Jest run. */
interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** A step's failure, as its message says it. */
const failed = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

function say(line: string) {
  process.stdout.write(`\n== ${line}\n`);
}

/** One Jest project; `node` for the Node-24 pass, `env` for where its servers are. */
function jestRun(
  project: string,
  totals: Totals,
  { env = process.env, node = process.execPath, label = project }: { env?: NodeJS.ProcessEnv; node?: string; label?: string } = {},
): Error | undefined {
  const out = path.join(os.tmpdir(), `shop-jest-${project}-${process.pid}.json`);
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  let error: Error | undefined;
  const started = Date.now();
  try {
    // --verbose lists every test by name, so the log shows what ran against the real servers.
    const args = [jest, '--selectProjects', project, '--verbose', '--json', `--outputFile=${out}`];
    if (process.env.CI) args.push('--ci');
    step(`${label} tests`, node, args, { env });
  } catch (err) {
    error = failed(err);
  }
  process.stdout.write(`${label}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (fs.existsSync(out)) {
    count(out, totals);
    fs.rmSync(out);
  } else if (error) {
    totals.failed += 1;
  }
  return error;
}

/** Adds one Jest run's results (its --json output) to the totals. */
function count(file: string, totals: Totals): void {
  const result = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numRuntimeErrorTestSuites?: number;
    numPendingTests: number;
    numTodoTests?: number;
  };
  totals.passed += result.numPassedTests;
  totals.failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  totals.skipped += result.numPendingTests + (result.numTodoTests ?? 0);
}

/**
 * Every project's unit tests, its `test` target through Nx: a project whose
 * inputs are unchanged since a passing run is not run again, and its results
 * come back from the cache with it (written where tools/nx/project-targets.plugin.ts says).
 */
function unitTests(totals: Totals): Error | undefined {
  const dir = path.join(root, UNIT_RESULTS);
  fs.rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  let error: Error | undefined;
  try {
    nx(['run-many', '-t', 'test']);
  } catch (err) {
    error = failed(err);
  }
  process.stdout.write(`unit: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const file of files) count(path.join(dir, file), totals);
  if (error && files.length === 0) totals.failed += 1;
  return error;
}

/**
 * The compose smoke, and the integration suites on testcontainers when the
 * first pass ran them on the local servers: the container path runs in every
 * `npm test` that can run containers (an engine answers, or root can start
 * one), on Node 24 when this machine's Node is too old for testcontainers.
 */
async function containers(infra: { mode: string }, totals: Totals, failures: string[]): Promise<void> {
  if (!engineDriver({}) && process.getuid?.() !== 0) {
    process.stdout.write('no Docker engine answers and starting one needs root: the compose smoke and the container path did not run\n');
    totals.skipped += 1;
    return;
  }
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  let engine: PreparedEngine;
  try {
    engine = await prepareContainers({ rootDir: root, images: Object.values(pinnedImages(root)), log });
  } catch (err) {
    failures.push(`containers: ${failed(err).message}`);
    totals.failed += 1;
    return;
  }
  try {
    log(`containers: engine and images ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const env = { ...process.env, NX_DAEMON: 'false', ...engine.env };
    const smoke = jestRun('compose', totals, { env });
    if (smoke) failures.push(smoke.message);
    if (infra.mode === 'local') {
      const newEnough = nodeAtLeast(testcontainersMinimumNode(root));
      const node = newEnough ? process.execPath : nodeDistribution(root, /^node:([\d.]+)-/.exec(pinnedImages(root).node)?.[1] ?? '').node;
      const again = jestRun('integration', totals, { env: { ...env, SHOP_TEST_INFRA: 'containers' }, node, label: `integration (testcontainers, ${newEnough ? 'Node ' + process.versions.node : 'Node 24 from the Dockerfile pin'})` });
      if (again) failures.push(again.message);
    }
  } finally {
    await releaseContainers({ rootDir: root, engine, log });
    log(`containers: ${((Date.now() - started) / 60_000).toFixed(1)} min in all`);
  }
}

async function main() {
  const started = Date.now();
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  const failures: string[] = [];
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

  say('dependencies and build');
  // The storefront's browser test drives Chromium; the deployment checks run docker-compose, shellcheck and
  // promtool (the alert rules); the alerts' end-to-end test runs Prometheus, the REST walkthrough curl and jq.
  ensurePackages(['chromium', 'docker-compose', 'shellcheck', 'prometheus', 'jq']);
  build((l) => process.stdout.write(`${l}\n`));

  say('lint (nx, with module boundaries)');
  try {
    nx(['run-many', '-t', 'lint'], { env });
  } catch (err) {
    failures.push(failed(err).message);
  }

  say('type check');
  // The storefront's browser code has its own settings (DOM, JSX); the root config checks everything else,
  // and the tools' own, that what runs them needs no test library's types.
  for (const project of ['tsconfig.json', 'tools/tsconfig.json', 'apps/storefront/tsconfig.json', 'apps/storefront/tsconfig.spec.json']) {
    try {
      step(`type check (${project})`, process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);
    } catch (err) {
      failures.push(failed(err).message);
    }
  }

  // Decided once, before any engine this run starts (the compose smoke's) could change the answer midway.
  const infra = testInfra(root);
  const suites = { ...env, SHOP_TEST_INFRA: infra.mode };
  say('unit tests (nx, each project\'s test target)');
  const unit = unitTests(totals);
  if (unit) failures.push(unit.message);
  for (const project of ['integration', 'e2e']) {
    say(`${project} tests (Postgres and Kafka: ${infra.mode === 'local' ? 'local servers' : 'testcontainers'}, ${infra.why})`);
    const error = jestRun(project, totals, { env: suites });
    if (error) failures.push(error.message);
  }

  say(`containers: the compose smoke${infra.mode === 'local' ? ', then the integration suites on testcontainers' : ''}`);
  await containers(infra, totals, failures);

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  say(`done in ${minutes} min${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: Error) => {
  process.stderr.write(`test: ${String(err.message).split('\n')[0]}\n`);
  process.exit(1);
});
