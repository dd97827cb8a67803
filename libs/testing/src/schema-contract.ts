import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { createPgAdapter, readMigrations } from '@shop/platform/database';
import type { PrismaPg } from '@prisma/adapter-pg';
import { createTestDatabase, ServiceName, TestDatabase } from './postgres';
import { workspaceRoot } from './workspace';

/* eslint-disable @typescript-eslint/no-explicit-any -- each service's generated client has its own types; only their shared models are used here */
interface Delegate {
  create(args: any): PromiseLike<any>;
  findMany(args?: any): PromiseLike<any[]>;
  count(args?: any): PromiseLike<number>;
}

/** What every service's generated client has: the raw API and the messaging tables. */
export interface ServicePrismaClient {
  $disconnect(): Promise<void>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  outbox: Delegate & { update(args: any): PromiseLike<any> };
  inbox: Delegate;
  deadLetterReplay: Delegate;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * "The SQL migrations and schema.prisma describe the same tables", for one
 * service: migrates an empty schema from the SQL files alone, checks the role
 * and schema, the Prisma Migrate bookkeeping and the messaging tables every
 * service has; `body` adds the service's own models, through `client()`.
 */
export function describeServiceSchema<C extends ServicePrismaClient>(
  service: ServiceName,
  schema: string,
  Client: new (options: { adapter: PrismaPg }) => C,
  body: (context: { client: () => C; db: () => TestDatabase }) => void,
): void {
  describe(`${service} migrations agree with schema.prisma`, () => {
    let db: TestDatabase;
    let prisma: C;
    const migrations = readMigrations(join(workspaceRoot(), 'libs', service, 'data-access', 'prisma', 'migrations')).map((m) => m.name);

    beforeAll(async () => {
      db = await createTestDatabase();
      await db.migrate(service);
      prisma = new Client({ adapter: createPgAdapter({ url: db.urlFor(service), schema }) });
    });

    afterAll(async () => {
      await prisma?.$disconnect();
      await db?.drop();
    });

    it(`lands in the ${schema} schema as the ${service} role`, async () => {
      const [row] = await prisma.$queryRawUnsafe<Array<{ schema: string; role: string }>>('select current_schema() as schema, current_user as role');
      expect(row).toEqual({ schema, role: `svc_${service}` });
    });

    it('is recorded in _prisma_migrations as Prisma Migrate does, and applies nothing the second time', async () => {
      const rows = await prisma.$queryRawUnsafe<Array<{ migration_name: string; finished: boolean; checksum: string }>>(
        'select migration_name, finished_at is not null as finished, checksum from _prisma_migrations order by migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrations);
      for (const row of rows) {
        expect(row.finished).toBe(true);
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
      await db.migrate(service);
      const [{ n }] = await prisma.$queryRawUnsafe<Array<{ n: number }>>('select count(*)::int as n from _prisma_migrations');
      expect(n).toBe(migrations.length);
    });

    it('round-trips the outbox, the inbox and the dead-letter replay marks', async () => {
      const id = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
      const row = await prisma.outbox.create({ data: { id, topic: 't', key: 'k', type: 'a.b', payload: { x: 1 }, headers: { h: 'v' } } });
      expect(row).toMatchObject({ id, topic: 't', key: 'k', payload: { x: 1 }, headers: { h: 'v' }, publishedAt: null, createdAt: expect.any(Date) });
      expect(typeof row.seq).toBe('bigint');
      const published = await prisma.outbox.update({ where: { id }, data: { publishedAt: new Date() } });
      expect(published.publishedAt).toBeInstanceOf(Date);

      await prisma.inbox.create({ data: { consumerGroup: service, eventId: id, eventType: 'a.b' } });
      await expect(prisma.inbox.create({ data: { consumerGroup: service, eventId: id, eventType: 'a.b' } })).rejects.toMatchObject({ code: 'P2002' });
      expect(await prisma.inbox.findMany()).toEqual([{ consumerGroup: service, eventId: id, eventType: 'a.b', processedAt: expect.any(Date) }]);

      const mark = { topic: `t.${service}.dlt`, partition: 2, offset: 9007199254740993n, recordTimestamp: 1796400000123n };
      await prisma.deadLetterReplay.create({ data: mark });
      expect(await prisma.deadLetterReplay.findMany()).toEqual([{ ...mark, replayedAt: expect.any(Date) }]);
      await expect(prisma.deadLetterReplay.create({ data: mark })).rejects.toMatchObject({ code: 'P2002' });
    });

    it("has the platform's messaging tables exactly: columns, indexes and the relay's trigger", async () => {
      // The platform's definition applied to a scratch schema of the same database, then both read back.
      const scratch = `messaging_${service}`;
      const admin = new PgClient({ connectionString: db.adminUrl.replace(/\/[^/]*$/, `/${db.dbName}`) });
      await admin.connect();
      try {
        await admin.query(`create schema ${scratch}`);
        for (const m of readMigrations(join(workspaceRoot(), 'libs', 'platform', 'messaging', 'migrations'))) {
          await admin.query(`set search_path to ${scratch}`);
          await admin.query(m.sql);
        }
        const describe = async (s: string) => ({
          columns: (
            await admin.query(
              `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
                where table_schema = $1 and table_name in ('outbox', 'inbox', 'dead_letter_replays') order by table_name, ordinal_position`,
              [s],
            )
          ).rows.map((r) => ({ ...r, column_default: String(r.column_default ?? '').replace(`${s}.`, '') })),
          indexes: (
            await admin.query(`select indexname, indexdef from pg_indexes where schemaname = $1 and tablename in ('outbox', 'inbox', 'dead_letter_replays') order by indexname`, [s])
          ).rows.map((r) => ({ ...r, indexdef: String(r.indexdef).replaceAll(`${s}.`, '') })),
          // The messaging tables' triggers only: a service's own tables may have theirs (the export's change clock).
          triggers: (
            await admin.query(
              `select trigger_name, event_manipulation, action_timing from information_schema.triggers
                where trigger_schema = $1 and event_object_table in ('outbox', 'inbox', 'dead_letter_replays') order by trigger_name`,
              [s],
            )
          ).rows,
        });
        const [mine, platforms] = [await describe(schema), await describe(scratch)];
        expect(platforms.triggers).toEqual([{ trigger_name: 'outbox_notify', event_manipulation: 'INSERT', action_timing: 'AFTER' }]);
        expect(mine).toEqual(platforms);
      } finally {
        await admin.query(`drop schema if exists ${scratch} cascade`).catch(() => undefined);
        await admin.end();
      }
    });

    body({ client: () => prisma, db: () => db });
  });
}
