import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { infra, uniqueSuffix } from '@shop/testing';

interface PostgresInfra {
  SERVICES: Array<{ service: string; schema: string; role: string }>;
  provisionDatabase(adminUrl: string, dbName: string): Promise<void>;
  dropDatabase(adminUrl: string, dbName: string): Promise<void>;
  withDatabase(adminUrl: string, dbName: string): string;
}

const pg = infra<PostgresInfra>('postgres');
const root = join(__dirname, '..', '..');

/** What each role may do in a database: the facts both provisioners must agree on. */
async function layout(adminUrl: string, dbName: string) {
  const client = new Client({ connectionString: pg.withDatabase(adminUrl, dbName) });
  await client.connect();
  try {
    const roles = pg.SERVICES.map((s) => s.role);
    const schemas = await client.query(
      `select nspname as schema, pg_get_userbyid(nspowner) as owner from pg_namespace
        where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`,
    );
    const rights = await client.query(
      `select r.rolname as role, n.nspname as schema,
              has_schema_privilege(r.oid, n.oid, 'USAGE') as usage, has_schema_privilege(r.oid, n.oid, 'CREATE') as "create"
         from pg_roles r cross join pg_namespace n
        where r.rolname = any($1) and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' order by 1, 2`,
      [roles],
    );
    const database = await client.query(
      `select r.rolname as role, has_database_privilege(r.oid, current_database(), 'CONNECT') as connect,
              has_database_privilege(r.oid, current_database(), 'CREATE') as "create",
              has_database_privilege(r.oid, current_database(), 'TEMPORARY') as temporary,
              r.rolcanlogin as login, r.rolinherit as inherit
         from pg_roles r where r.rolname = any($1) order by 1`,
      [roles],
    );
    const settings = await client.query(
      `select pg_get_userbyid(s.setrole) as role, s.setconfig as config from pg_db_role_setting s
        where s.setdatabase = (select oid from pg_database where datname = current_database()) order by 1`,
    );
    const publicAccess = await client.query(
      `select has_database_privilege('public', current_database(), 'CONNECT') as connect,
              has_schema_privilege('public', 'public', 'CREATE') as public_create,
              has_schema_privilege('public', 'public', 'USAGE') as public_usage`,
    );
    return { schemas: schemas.rows, rights: rights.rows, database: database.rows, settings: settings.rows, public: publicAccess.rows };
  } finally {
    await client.end();
  }
}

describe('deploy/postgres/init-shop.sh against tools/infra/postgres.ts', () => {
  const adminUrl = process.env.DATABASE_ADMIN_URL as string;
  const fromScript = `deploy_init_${uniqueSuffix()}`;
  const fromTools = `deploy_tools_${uniqueSuffix()}`;
  const fromFiles = `deploy_files_${uniqueSuffix()}`;

  afterAll(async () => {
    await pg.dropDatabase(adminUrl, fromScript);
    await pg.dropDatabase(adminUrl, fromTools);
    await pg.dropDatabase(adminUrl, fromFiles);
  });

  it('gives the same database layout: schemas, owners, grants, search paths', async () => {
    const url = new URL(adminUrl);
    const passwords = Object.fromEntries(pg.SERVICES.map((s) => [`${s.role.toUpperCase()}_PASSWORD`, `${s.role}-dev`]));
    const r = spawnSync('bash', [join(root, 'deploy', 'postgres', 'init-shop.sh')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGPASSWORD: decodeURIComponent(url.password),
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        DATABASE_NAME: fromScript,
        ...passwords,
      },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await pg.provisionDatabase(adminUrl, fromTools);

    const script = await layout(adminUrl, fromScript);
    const tools = await layout(adminUrl, fromTools);
    expect(script).toEqual(tools);
    // And the layout is the intended one, not merely the same.
    expect(script.schemas).toEqual(expect.arrayContaining(pg.SERVICES.map((s) => ({ schema: s.schema, owner: s.role }))));
    const crossUse = script.rights.filter((x: { role: string; schema: string; usage: boolean }) => x.usage && pg.SERVICES.find((s) => s.role === x.role)?.schema !== x.schema);
    expect(crossUse).toEqual([]);
    expect(script.public).toEqual([{ connect: false, public_create: false, public_usage: false }]);
  });

  it('reads each password from the file <ROLE>_PASSWORD_FILE names, as compose gives them', async () => {
    const url = new URL(adminUrl);
    const dir = mkdtempSync(join(tmpdir(), 'shop-init-'));
    const files = Object.fromEntries(
      pg.SERVICES.map((s) => {
        const file = join(dir, s.role);
        // Roles are cluster-wide and exist already, with the local passwords: the same values here.
        writeFileSync(file, `${s.role}-dev`);
        return [`${s.role.toUpperCase()}_PASSWORD_FILE`, file];
      }),
    );
    const r = spawnSync('bash', [join(root, 'deploy', 'postgres', 'init-shop.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', PGHOST: url.hostname, PGPORT: url.port || '5432', PGPASSWORD: decodeURIComponent(url.password), POSTGRES_USER: decodeURIComponent(url.username) || 'postgres', DATABASE_NAME: fromFiles, ...files },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(await layout(adminUrl, fromFiles)).toEqual(await layout(adminUrl, fromTools));
  });

  it('stops at once, naming the variable, when a role password is missing', () => {
    const r = spawnSync('bash', [join(root, 'deploy', 'postgres', 'init-shop.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATABASE_NAME: fromScript },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('init-shop: SVC_CATALOG_PASSWORD (or SVC_CATALOG_PASSWORD_FILE) is not set');
  });
});
