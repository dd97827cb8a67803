/**
 * Prisma 7 takes the datasource URL from a config file, not from
 * schema.prisma. The migrate image runs
 *   prisma migrate deploy --config deploy/prisma/prisma.config.ts
 * for the service named by APP, with the service's own DATABASE_URL and
 * DATABASE_SCHEMA (the variables the app reads). The schema goes into the
 * URL's `schema` parameter so Prisma works in, and keeps its migration table
 * in, the service's schema, as libs/platform/database's migrator does.
 * Not at the repository root on purpose: `npm run generate` must not need a
 * database URL.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`migrate: ${name} is not set`);
  return value;
}

const app = required('APP');
if (!/^[a-z][a-z0-9-]*$/.test(app)) throw new Error(`migrate: APP=${JSON.stringify(app)} is not an app name`);
const prismaDir = path.join(__dirname, '..', '..', 'libs', app, 'data-access', 'prisma');

const url = new URL(required('DATABASE_URL'));
url.searchParams.set('schema', required('DATABASE_SCHEMA'));

export default defineConfig({
  schema: path.join(prismaDir, 'schema.prisma'),
  migrations: { path: path.join(prismaDir, 'migrations') },
  datasource: { url: url.toString() },
});
