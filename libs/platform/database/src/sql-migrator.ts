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
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const migration of readMigrations(options.migrationsDir)) {
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
