'use strict';
/**
 * `npm start`: the whole platform as local processes, no Docker.
 * Installs and builds what is missing, finds or starts Postgres and Kafka,
 * a trace server (Zipkin) and Prometheus, applies migrations, runs every app
 * (traced) with prefixed logs, prints the URLs once all are ready, and on
 * Ctrl-C or SIGTERM stops everything it started. `npm start -- --lean` (or
 * SHOP_LEAN=1) leaves out the trace server, Prometheus and tracing.
 */
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { root, ensureDependencies, build } = require('./lib/workspace');

const COLORS = [36, 35, 33, 32, 34, 91, 96];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const rawLogs = process.env.LOG_FORMAT === 'json';
const lean = process.argv.includes('--lean') || process.env.SHOP_LEAN === '1';
const width = 10;

function say(line) {
  process.stdout.write(`${'start'.padEnd(width)}| ${line}\n`);
}

/** Shows an app's JSON log line as `time level message`, or the raw line when it is not JSON. */
function pretty(line) {
  if (rawLogs) return line;
  try {
    const entry = JSON.parse(line);
    const level = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }[entry.level] ?? String(entry.level ?? '');
    const time = (entry.time ?? entry.timestamp ?? '').slice(11, 23);
    const context = entry.context ? `[${entry.context}] ` : '';
    return `${time} ${level.padEnd(5)} ${context}${entry.msg ?? entry.message ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
  } catch {
    return line;
  }
}

function prefixed(stream, name, color) {
  const label = name.padEnd(width);
  const tag = useColor ? `\x1b[${color}m${label}\x1b[0m` : label;
  readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}| ${pretty(line)}\n`));
}

async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/**
 * An empty catalog gets the demo products (apps/storefront/src/demo), through the gateway like any
 * product, so a first visit finds a shop; SHOP_DEMO_CATALOG=0 leaves it empty. A catalog with other
 * products is left alone. A failure here is reported and the platform keeps running.
 */
async function loadDemoCatalog(gateway) {
  const demo = require(path.join(root, 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.main.js'));
  if (!demo.demoCatalogEnabled(process.env)) return say('demo catalog: off (SHOP_DEMO_CATALOG)');
  const { loadDemoCatalog: load } = require(path.join(root, 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.loader.js'));
  try {
    const result = await load({ gatewayUrl: `http://127.0.0.1:${gateway.port}`, log: say });
    if (result.outcome === 'left-alone') say(`demo catalog: not loaded, ${result.reason}`);
    else if (!result.created) say('demo catalog: already loaded');
  } catch (err) {
    say(`demo catalog: not loaded: ${String(err.message).split('\n')[0]}`);
  }
}

async function main() {
  const started = Date.now();
  ensureDependencies(say);
  build(say);

  // Loaded only now: they need node_modules.
  const postgres = require('./infra/postgres');
  const kafka = require('./infra/kafka');
  const { migrate } = require(path.join(root, 'dist', 'libs', 'platform', 'database', 'src', 'sql-migrator.js'));
  const { APPS, NODE_ARGS, appEnv, appEntry, migrationsDir } = require('./apps');
  const { startObservability } = require('./observability');

  const children = new Map();
  let stopping = false;
  const infraStarted = { postgres: false, kafka: false };
  // Started beside Postgres and Kafka (the trace server's JVM takes seconds), awaited before the apps start.
  const observing = startObservability({ rootDir: root, apps: APPS, lean, log: say });

  async function stopAll(code) {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await (await observing.catch(() => undefined))?.stop();
    if (infraStarted.kafka) await kafka.stopKafka({ rootDir: root, log: say }).catch((e) => say(e.message));
    if (infraStarted.postgres) await postgres.stopPostgres({ rootDir: root, log: say }).catch((e) => say(e.message));
    say('stopped');
    process.exit(code);
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const pg = await postgres.ensurePostgres({ rootDir: root, log: say });
    infraStarted.postgres = pg.startedHere;
    const broker = await kafka.ensureKafka({ rootDir: root, log: say });
    infraStarted.kafka = broker.startedHere;
    const infra = { adminUrl: pg.adminUrl, dbName: pg.dbName, brokers: broker.brokers };

    for (const app of APPS.filter((a) => a.database)) {
      const env = appEnv(app, infra, postgres.serviceDatabaseUrl);
      const applied = await migrate({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, migrationsDir: migrationsDir(root, app) });
      say(`${app.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`);
    }

    const observability = await observing;
    const ready = await Promise.all(
      APPS.map((app, i) => {
        const child = spawn(process.execPath, [...NODE_ARGS, appEntry(root, app)], {
          cwd: root,
          env: { ...process.env, ...appEnv(app, infra, postgres.serviceDatabaseUrl), ...observability.envFor(app) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.set(app.name, child);
        const color = COLORS[i % COLORS.length];
        prefixed(child.stdout, app.name, color);
        prefixed(child.stderr, app.name, color);
        child.on('exit', (code, signal) => {
          if (!stopping) say(`${app.name} exited (${signal ?? `code ${code}`}); the other apps keep running`);
        });
        // A service's whole status (consumers joined, relay publishing), not only its readiness: "all ready" means at work.
        const health = app.database ? '/health/status' : '/health/ready';
        return waitReady(`http://127.0.0.1:${app.port}${health}`, child, 60_000).then((ok) => ({ app, ok }));
      }),
    );
    const failed = ready.filter((r) => !r.ok).map((r) => r.app.name);
    if (failed.length) {
      say(`not ready: ${failed.join(', ')} (see their logs above)`);
      return stopAll(1);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`all ready in ${seconds} s:`);
    for (const app of APPS) {
      const metrics = app.metricsPort ? `http://localhost:${app.metricsPort}/metrics` : '/metrics';
      const health = app.database ? '/health/ready, /health/status' : '/health/ready';
      say(`  ${app.name.padEnd(12)} http://localhost:${app.port}  (health: ${health}, metrics: ${metrics})`);
    }
    say(`  kafka        ${infra.brokers}`);
    say(`  postgres     ${new URL(infra.adminUrl).host}/${infra.dbName}`);
    for (const line of observability.lines) say(line);
    await loadDemoCatalog(APPS.find((a) => a.name === 'api-gateway'));
    const shop = APPS.find((a) => a.name === 'storefront');
    say(`open http://localhost:${shop.port} and buy something; the operator console is at /admin`);
    say('press Ctrl-C to stop everything');
  } catch (err) {
    say(`error: ${String(err.message).split('\n')[0]}`);
    return stopAll(1);
  }
}

main().catch((err) => {
  process.stderr.write(`start: ${String(err.message).split('\n')[0]}\n`);
  process.exit(1);
});
