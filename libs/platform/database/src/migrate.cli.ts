/**
 * Applies one service's SQL migrations: used by `npm start`, tests and the
 * container images' migrate step.
 *   DATABASE_URL=... DATABASE_SCHEMA=catalog node migrate.cli.js <migrations-dir>
 */
import { z } from 'zod';
import { exitWithMessage, loadConfig, postgresUrlVar, schemaNameVar } from '@shop/platform/config';
import { migrate } from './sql-migrator';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: migrate.cli.js <migrations-dir>');
  const env = loadConfig(z.object({ DATABASE_URL: postgresUrlVar, DATABASE_SCHEMA: schemaNameVar }));
  const applied = await migrate({
    url: env.DATABASE_URL,
    schema: env.DATABASE_SCHEMA,
    migrationsDir: dir,
    log: (line) => process.stdout.write(`migrate: ${line}\n`),
  });
  if (applied.length === 0) process.stdout.write(`migrate: ${env.DATABASE_SCHEMA} is up to date\n`);
}

main().catch((err) => exitWithMessage('migrate', err));
