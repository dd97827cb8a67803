/**
 * What `npm start` and `nx serve <app>` share: the infrastructure they find or
 * provision (Postgres, Kafka) and stop if they started it, each app's
 * migrations, and the apps as local processes with their logs prefixed by
 * name. Needs a build (the apps and the database library in dist/).
 */
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ChildProcess, ChildProcessByStdio, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { root } from '../lib/workspace';
import type { Log } from '../lib/workspace';
import { App, appEntry, appEnv, Infra, migrationsDir as sourceMigrations, NODE_ARGS } from '../apps';
import * as postgres from '../infra/postgres';
import * as kafka from '../infra/kafka';

/** An app's process, its output read line by line. */
export type AppChild = ChildProcessByStdio<null, Readable, Readable>;

const COLORS = [36, 35, 33, 32, 34, 91, 96];
const WIDTH = 10;
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const rawLogs = process.env.LOG_FORMAT === 'json';

/** A line from the tooling itself, under its own label. */
function sayAs(label: string): Log {
  return (line) => void process.stdout.write(`${label.padEnd(WIDTH)}| ${line}\n`);
}

/** Shows an app's JSON log line as `time level message`, or the raw line when it is not JSON. */
function pretty(line: string): string {
  if (rawLogs) return line;
  try {
    const entry = JSON.parse(line) as {
      level?: number;
      time?: string;
      timestamp?: string;
      context?: string;
      msg?: string;
      message?: string;
      err?: { message?: string };
    };
    const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
    const level = (entry.level !== undefined ? levels[entry.level] : undefined) ?? String(entry.level ?? '');
    const time = (entry.time ?? entry.timestamp ?? '').slice(11, 23);
    const context = entry.context ? `[${entry.context}] ` : '';
    return `${time} ${level.padEnd(5)} ${context}${entry.msg ?? entry.message ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
  } catch {
    return line;
  }
}

function prefixed(stream: Readable, name: string, color: number) {
  const label = name.padEnd(WIDTH);
  const tag = useColor ? `\x1b[${color}m${label}\x1b[0m` : label;
  readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}| ${pretty(line)}\n`));
}

/** Polls `url` until it answers 200; false when the process ends first or the time is up. */
async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
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
function upUrl(app: Pick<App, 'port' | 'database'>, port = app.port): string {
  return `http://127.0.0.1:${port}${app.database ? '/health/status' : '/health/ready'}`;
}

/**
 * One app as a local process, from a build (`entry`, dist/apps/<app>/src/main.js by default) with the
 * environment tools/apps.ts gives it; its output prefixed with `label`.
 */
function spawnApp(
  app: Pick<App, 'name'>,
  { env, entry, label = app.name, color = 36 }: { env: Record<string, string>; entry?: string; label?: string; color?: number },
): AppChild {
  const child = spawn(process.execPath, [...NODE_ARGS, entry ?? appEntry(root, app)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixed(child.stdout, label, color);
  prefixed(child.stderr, label, color);
  return child;
}

/** SIGTERM (the app drains), SIGKILL after `graceMs`; resolves once it has exited. */
function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
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
 */
async function provisionInfra(log: Log): Promise<{ infra: Infra; stop: () => Promise<void> }> {
  const started = { postgres: false, kafka: false };
  const stop = async () => {
    if (started.kafka) await kafka.stopKafka({ rootDir: root, log }).catch((e: Error) => log(e.message));
    if (started.postgres) await postgres.stopPostgres({ rootDir: root, log }).catch((e: Error) => log(e.message));
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

/** The app's environment on this infrastructure (tools/apps.ts). */
function localEnv(app: App, infra: Infra): Record<string, string> {
  return appEnv(app, infra, postgres.serviceDatabaseUrl);
}

/** The compiled migrator of libs/platform/database, as the apps run it. */
type Migrate = (options: { url: string; schema: string; migrationsDir: string }) => Promise<string[]>;

/** Applies a data-owning app's migrations (from `migrationsDir`, the source tree's by default); returns a line saying what it did. */
async function migrateApp(app: App, infra: Infra, migrationsDir?: string): Promise<string> {
  const { migrate } = require(path.join(root, 'dist', 'libs', 'platform', 'database', 'src', 'sql-migrator.js')) as { migrate: Migrate };
  const env = localEnv(app, infra);
  const applied = await migrate({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, migrationsDir: migrationsDir ?? sourceMigrations(root, app) });
  return `${app.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`;
}

export { COLORS, sayAs, pretty, prefixed, waitReady, upUrl, spawnApp, stopChild, provisionInfra, localEnv, migrateApp };
