import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  url: string;
  schema: string;
  /** A folder in Prisma Migrate's layout: `<timestamp>_<name>/migration.sql`. */
  migrationsDir: string;
  log?: (line: string) => void;
}

/** Reads migrations in the order Prisma applies them (folder names sort by timestamp). */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** `20261204100000_messaging_tables` → `messaging_tables`. */
const nameOf = (migration: string) => migration.replace(/^\d+_/, '');

/**
 * Applied migrations whose folder was renamed since (a new timestamp, the same
 * name and the same SQL): their record follows the folder, so a migration is
 * never applied twice because its date was corrected.
 */
export function renamedMigrations(
  local: MigrationFile[],
  applied: Array<{ migration_name: string; checksum: string }>,
): Array<{ from: string; to: string }> {
  const localNames = new Set(local.map((m) => m.name));
  const appliedNames = new Set(applied.map((a) => a.migration_name));
  const renames: Array<{ from: string; to: string }> = [];
  for (const record of applied) {
    if (localNames.has(record.migration_name)) continue;
    const match = local.find((m) => !appliedNames.has(m.name) && nameOf(m.name) === nameOf(record.migration_name) && m.checksum === record.checksum);
    if (match) {
      renames.push({ from: record.migration_name, to: match.name });
      appliedNames.add(match.name);
    }
  }
  return renames;
}

/**
 * Applies pending migrations without Prisma's native schema engine, keeping
 * the same `_prisma_migrations` bookkeeping so `prisma migrate deploy` (where
 * the engine exists) sees them as applied and continues from there.
 * Each migration runs in its own transaction; an advisory lock keeps two
 * replicas from migrating at once.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: options.url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`set search_path to "${options.schema}"`);
    await client.query('select pg_advisory_lock(hashtext($1))', [`migrate:${options.schema}`]);
    await client.query(`
      create table if not exists "_prisma_migrations" (
        "id" varchar(36) primary key not null,
        "checksum" varchar(64) not null,
        "finished_at" timestamptz,
        "migration_name" varchar(255) not null,
        "logs" text,
        "rolled_back_at" timestamptz,
        "started_at" timestamptz not null default now(),
        "applied_steps_count" integer not null default 0
      )`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'select migration_name, checksum, finished_at from "_prisma_migrations" where rolled_back_at is null',
    );
    const migrations = readMigrations(options.migrationsDir);
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const renamed of renamedMigrations(migrations, done.rows)) {
      await client.query('update "_prisma_migrations" set migration_name = $2 where migration_name = $1 and rolled_back_at is null', [renamed.from, renamed.to]);
      byName.set(renamed.to, { ...(byName.get(renamed.from) as (typeof done.rows)[number]), migration_name: renamed.to });
      byName.delete(renamed.from);
      log(`${options.schema}: ${renamed.from} is now named ${renamed.to}`);
    }
    for (const migration of migrations) {
      const previous = byName.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was edited after it was applied to ${options.schema}`);
        }
        continue;
      }
      if (previous) throw new Error(`migration ${migration.name} failed earlier in ${options.schema}; resolve it first`);
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           values ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`migration ${migration.name} failed in ${options.schema}: ${(err as Error).message}`);
      }
      applied.push(migration.name);
      log(`${options.schema}: applied ${migration.name}`);
    }
  } finally {
    await client.end();
  }
  return applied;
}
