/**
 * Postgres for `npm start`, `npm test` and CI, without Docker.
 *
 * Uses the server at DATABASE_ADMIN_URL when it answers; otherwise creates and
 * starts a private cluster under .local/postgres with Debian's initdb. Then it
 * provisions the platform database: one schema per service, each owned by its
 * own login role that has no rights anywhere else (docs/contract.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { Log, root } from '../lib/workspace';

const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const PRIVATE_PORT = Number(process.env.PRIVATE_PG_PORT || 54329);

/** Which service owns which schema, and the login role it connects as. */
const SERVICES = [
  { service: 'catalog', schema: 'catalog', role: 'svc_catalog' },
  { service: 'order', schema: 'orders', role: 'svc_order' },
  { service: 'payment', schema: 'payments', role: 'svc_payment' },
  { service: 'delivery', schema: 'deliveries', role: 'svc_delivery' },
  { service: 'review', schema: 'reviews', role: 'svc_review' },
];

/** Local development password of a service role; compose and k8s take theirs from secrets. */
function rolePassword(role: string) {
  return process.env[`${role.toUpperCase()}_PASSWORD`] || `${role}-dev`;
}

/** The URL a service connects with: its own role, the platform database. */
function serviceDatabaseUrl(adminUrl: string, dbName: string, role: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = rolePassword(role);
  url.pathname = `/${dbName}`;
  return url.toString();
}

function withDatabase(adminUrl: string, dbName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

async function canConnect(url: string) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function findPgBin(name: string) {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const candidate = path.join(base, v, 'bin', name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Postgres refuses to run as root; on Debian the `postgres` user runs the private cluster. */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid && process.getuid() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  return [cmd, args];
}

function run(cmd: string, args: string[], what: string): string {
  const [c, a] = asPostgresUser(cmd, args);
  const r = spawnSync(c, a, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`postgres: ${what} failed: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`);
  }
  return r.stdout;
}

function privateDirs(rootDir: string) {
  const dir = path.join(rootDir, '.local', 'postgres');
  return { dir, data: path.join(dir, 'data'), log: path.join(dir, 'postgres.log'), sock: path.join(dir, 'run') };
}

async function startPrivateCluster(rootDir: string, log: Log): Promise<void> {
  const initdb = findPgBin('initdb');
  const pgCtl = findPgBin('pg_ctl');
  if (!initdb || !pgCtl) {
    throw new Error(
      'postgres: no server at DATABASE_ADMIN_URL and no Postgres binaries to start one (apt-get install postgresql), or set DATABASE_ADMIN_URL, or use docker compose up',
    );
  }
  const d = privateDirs(rootDir);
  fs.mkdirSync(d.sock, { recursive: true });
  if (process.getuid && process.getuid() === 0) spawnSync('chown', ['-R', 'postgres:postgres', d.dir]);
  if (!fs.existsSync(path.join(d.data, 'PG_VERSION'))) {
    log(`postgres: creating a private cluster in ${path.relative(rootDir, d.data)}`);
    run(initdb, ['-D', d.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], 'initdb');
  }
  const opts = `-p ${PRIVATE_PORT} -k ${d.sock} -c listen_addresses=127.0.0.1 -c max_connections=300`;
  run(pgCtl, ['-D', d.data, '-l', d.log, '-o', opts, '-w', '-t', '60', 'start'], 'starting the private cluster');
  log(`postgres: private cluster started on 127.0.0.1:${PRIVATE_PORT}, log in ${path.relative(rootDir, d.log)}`);
}

function privateRunning(rootDir: string): boolean {
  const d = privateDirs(rootDir);
  return fs.existsSync(path.join(d.data, 'postmaster.pid'));
}

export interface PostgresServer {
  adminUrl: string;
  dbName: string;
  startedHere: boolean;
}

/** Finds or starts a server and provisions the platform database. */
async function ensurePostgres({ rootDir, log = console.log, dbName = process.env.DATABASE_NAME || 'shop' }: { rootDir: string; log?: Log; dbName?: string }): Promise<PostgresServer> {
  let adminUrl = process.env.DATABASE_ADMIN_URL || DEFAULT_ADMIN_URL;
  let startedHere = false;
  if (await canConnect(adminUrl)) {
    log(`postgres: using ${redact(adminUrl)}`);
  } else {
    const privateUrl = `postgresql://postgres@127.0.0.1:${PRIVATE_PORT}/postgres`;
    if (!(await canConnect(privateUrl))) {
      log(`postgres: ${redact(adminUrl)} is not reachable`);
      await startPrivateCluster(rootDir, log);
      startedHere = true;
    } else {
      log(`postgres: reusing the private cluster on 127.0.0.1:${PRIVATE_PORT}`);
    }
    adminUrl = privateUrl;
  }
  await provisionDatabase(adminUrl, dbName);
  return { adminUrl, dbName, startedHere };
}

async function stopPostgres({ rootDir, log = console.log }: { rootDir: string; log?: Log }): Promise<boolean> {
  if (!privateRunning(rootDir)) return false;
  const pgCtl = findPgBin('pg_ctl');
  if (!pgCtl) throw new Error('postgres: the private cluster runs, but there is no pg_ctl to stop it');
  run(pgCtl, ['-D', privateDirs(rootDir).data, '-m', 'fast', '-w', 'stop'], 'stopping the private cluster');
  log('postgres: private cluster stopped');
  return true;
}

function ident(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`postgres: bad identifier ${name}`);
  return `"${name}"`;
}

function literal(value: string) {
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * Creates the database (if missing), the service roles and their schemas.
 * Idempotent: a second run changes nothing. Roles are cluster-wide; schemas
 * and grants are per database, so a test database gets the same layout.
 */
async function provisionDatabase(adminUrl: string, dbName: string) {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // CREATE ROLE/DATABASE race when two suites provision at once; serialize them cluster-wide.
    await admin.query('select pg_advisory_lock(727274)');
    for (const { role } of SERVICES) {
      const exists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      if (exists.rowCount === 0) {
        await admin.query(`create role ${ident(role)} login password ${literal(rolePassword(role))} noinherit`);
      }
    }
    const db = await admin.query('select 1 from pg_database where datname = $1', [dbName]);
    if (db.rowCount === 0) await admin.query(`create database ${ident(dbName)}`);
    await admin.query('select pg_advisory_unlock(727274)');
  } finally {
    await admin.end();
  }

  const client = new Client({ connectionString: withDatabase(adminUrl, dbName) });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`revoke all on database ${ident(dbName)} from public`);
    await client.query('revoke all on schema public from public');
    for (const { schema, role } of SERVICES) {
      await client.query(`grant connect, temporary on database ${ident(dbName)} to ${ident(role)}`);
      await client.query(`create schema if not exists ${ident(schema)} authorization ${ident(role)}`);
      await client.query(`alter schema ${ident(schema)} owner to ${ident(role)}`);
      await client.query(`revoke all on schema ${ident(schema)} from public`);
      await client.query(`alter role ${ident(role)} in database ${ident(dbName)} set search_path = ${ident(schema)}`);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Drops a database made for one test suite (roles stay; they are shared). */
async function dropDatabase(adminUrl: string, dbName: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${ident(dbName)} with (force)`);
  } finally {
    await admin.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export {
  SERVICES,
  DEFAULT_ADMIN_URL,
  ensurePostgres,
  stopPostgres,
  provisionDatabase,
  dropDatabase,
  serviceDatabaseUrl,
  withDatabase,
  canConnect,
};

if (require.main === module) {
  const rootDir = root;
  const cmd = process.argv[2] || 'up';
  const action: Promise<unknown> =
    cmd === 'up' ? ensurePostgres({ rootDir }) : cmd === 'down' ? stopPostgres({ rootDir }) : Promise.reject(new Error(`usage: postgres up|down`));
  action.then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.message.split('\n')[0]);
      process.exit(1);
    },
  );
}
