import { cpSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@shop/platform/database';
import { createTestDatabase, TestDatabase } from './postgres';
import { workspaceRoot } from './workspace';

/** The platform's SQL migrator (libs/platform/database) against a real schema: what it records, and a folder renamed after it was applied. */
describe('sql migrator', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(join(workspaceRoot(), 'libs', 'review', 'data-access', 'prisma', 'migrations'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function recorded(): Promise<string[]> {
    const client = new Client({ connectionString: db.urlFor('review') });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>('select migration_name from reviews."_prisma_migrations" order by migration_name');
      return rows.map((r) => r.migration_name);
    } finally {
      await client.end();
    }
  }

  it('applies a migration whose folder was renamed once only, and records it under its new name', async () => {
    const options = { url: db.urlFor('review'), schema: 'reviews', migrationsDir: dir };
    const names = readdirSync(dir).filter((n) => /^\d+_/.test(n)).sort();
    const last = names[names.length - 1];
    // As an older checkout named it: a date later than today's.
    const future = last.replace(/^\d+/, '29991231000000');
    renameSync(join(dir, last), join(dir, future));
    expect(await migrate(options)).toEqual([...names.slice(0, -1), future]);

    renameSync(join(dir, future), join(dir, last));
    expect(await migrate(options)).toEqual([]);
    expect(await recorded()).toEqual(names);
  });
});
