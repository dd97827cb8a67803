'use strict';
/**
 * What `npm start` and `nx serve <app>` share: the infrastructure they find or
 * provision (Postgres, Kafka) and stop if they started it, each app's
 * migrations, and the apps as local processes with their logs prefixed by
 * name. Needs node_modules (ensureDependencies first) and a build.
 */
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { root } = require('./workspace');

const COLORS = [36, 35, 33, 32, 34, 91, 96];
const WIDTH = 10;
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const rawLogs = process.env.LOG_FORMAT === 'json';

/** A line from the tooling itself, under its own label. */
function sayAs(label) {
  return (line) => process.stdout.write(`${label.padEnd(WIDTH)}| ${line}\n`);
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
  const label = name.padEnd(WIDTH);
  const tag = useColor ? `\x1b[${color}m${label}\x1b[0m` : label;
  readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}| ${pretty(line)}\n`));
}

/** Polls `url` until it answers 200; false when the process ends first or the time is up. */
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
 * What to wait for after starting an app: a data-owning service's whole status (`/health/status`: consumers
 * joined, relay publishing), not only its readiness (`/health/ready`: Postgres and migrations, what a load
 * balancer and the gateway's probes ask); an app without a database has readiness only.
 */
function upUrl(app, port = app.port) {
  return `http://127.0.0.1:${port}${app.database ? '/health/status' : '/health/ready'}`;
}

/**
 * One app as a local process, from a build (`entry`, dist/apps/<app>/src/main.js by default) with the
 * environment tools/apps.js gives it; its output prefixed with `label`.
 */
function spawnApp(app, { env, entry, label = app.name, color = 36 }) {
  const { NODE_ARGS, appEntry } = require(path.join(root, 'tools', 'apps'));
  const child = spawn(process.execPath, [...NODE_ARGS, entry ?? appEntry(root, app)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixed(child.stdout, label, color);
  prefixed(child.stderr, label, color);
  return child;
}

/** SIGTERM (the app drains), SIGKILL after `graceMs`; resolves once it has exited. */
function stopChild(child, graceMs = 10_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Postgres and Kafka, found or provisioned; `stop()` stops only what was started here.
 * @returns {Promise<{ infra: { adminUrl: string, dbName: string, brokers: string }, stop: () => Promise<void> }>}
 */
async function provisionInfra(log) {
  const postgres = require(path.join(root, 'tools', 'infra', 'postgres'));
  const kafka = require(path.join(root, 'tools', 'infra', 'kafka'));
  const started = { postgres: false, kafka: false };
  const stop = async () => {
    if (started.kafka) await kafka.stopKafka({ rootDir: root, log }).catch((e) => log(e.message));
    if (started.postgres) await postgres.stopPostgres({ rootDir: root, log }).catch((e) => log(e.message));
  };
  try {
    const pg = await postgres.ensurePostgres({ rootDir: root, log });
    started.postgres = pg.startedHere;
    const broker = await kafka.ensureKafka({ rootDir: root, log });
    started.kafka = broker.startedHere;
    return { infra: { adminUrl: pg.adminUrl, dbName: pg.dbName, brokers: broker.brokers }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The app's environment on this infrastructure (tools/apps.js). */
function localEnv(app, infra) {
  const { appEnv } = require(path.join(root, 'tools', 'apps'));
  const { serviceDatabaseUrl } = require(path.join(root, 'tools', 'infra', 'postgres'));
  return appEnv(app, infra, serviceDatabaseUrl);
}

/** Applies a data-owning app's migrations (from `migrationsDir`, the source tree's by default); returns a line saying what it did. */
async function migrateApp(app, infra, migrationsDir) {
  const { migrate } = require(path.join(root, 'dist', 'libs', 'platform', 'database', 'src', 'sql-migrator.js'));
  const { migrationsDir: sourceMigrations } = require(path.join(root, 'tools', 'apps'));
  const env = localEnv(app, infra);
  const applied = await migrate({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, migrationsDir: migrationsDir ?? sourceMigrations(root, app) });
  return `${app.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`;
}

module.exports = { COLORS, sayAs, pretty, prefixed, waitReady, upUrl, spawnApp, stopChild, provisionInfra, localEnv, migrateApp };
