import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Client } from 'pg';
import { uniqueSuffix } from '@shop/testing';

export interface PgbenchOptions {
  seconds: number;
  clients: number;
  scale: number;
}

/**
 * pgbench of the server's own major version (the Debian layout puts it in
 * /usr/lib/postgresql/<major>/bin), else the newest one there, else the one
 * on PATH; BENCH_PGBENCH overrides.
 */
export function findPgbench(serverMajor: number | null): string {
  const explicit = process.env.BENCH_PGBENCH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`bench: BENCH_PGBENCH=${explicit} does not exist`);
    return explicit;
  }
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => /^\d+$/.test(d) && existsSync(`${base}/${d}/bin/pgbench`))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (serverMajor !== null && majors.includes(serverMajor)) return `${base}/${serverMajor}/bin/pgbench`;
  if (majors.length) return `${base}/${majors[0]}/bin/pgbench`;
  if (!spawnSync('pgbench', ['--version']).error) return 'pgbench';
  throw new Error(`bench: pgbench not found: install the server package (apt-get install postgresql-${serverMajor ?? 15}) or set BENCH_PGBENCH`);
}

/** `tps = 1234.5 (without initial connection time)` from pgbench's report. */
export function parsePgbenchTps(output: string): number {
  const match = /^tps = ([\d.]+) \(without initial connection time\)$/m.exec(output);
  if (!match) throw new Error(`bench: no tps in pgbench's output:\n${output.slice(-500)}`);
  return Number(match[1]);
}

/**
 * The baseline for order intake: pgbench's built-in simple-update script
 * (`-N`: update one account, read it, log a history row, in one transaction)
 * against a scratch database on the same server, dropped afterwards.
 */
export async function pgbenchSimpleUpdate(adminUrl: string, options: PgbenchOptions): Promise<number> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const dbName = `bench_pgbench_${uniqueSuffix()}`;
  try {
    const major = Math.floor(Number((await admin.query<{ v: string }>('show server_version_num')).rows[0].v) / 10_000);
    const pgbench = findPgbench(Number.isFinite(major) ? major : null);
    await admin.query(`create database ${dbName}`);
    const url = new URL(adminUrl);
    const env = {
      ...process.env,
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username || 'postgres'),
      ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
      PGDATABASE: dbName,
    };
    const run = (args: string[]) => {
      const r = spawnSync(pgbench, args, { env, encoding: 'utf8', timeout: (options.seconds + 120) * 1000 });
      if (r.status !== 0) throw new Error(`bench: ${pgbench} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}): ${(r.stderr ?? '').slice(-500)}`);
      return `${r.stdout}\n${r.stderr}`;
    };
    run(['-i', '-q', '-s', String(options.scale)]);
    const out = run(['-N', '-c', String(options.clients), '-j', String(Math.min(options.clients, 2)), '-T', String(options.seconds)]);
    return parsePgbenchTps(out);
  } finally {
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
  }
}
