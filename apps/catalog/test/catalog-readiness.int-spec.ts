import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { closeService, startServiceForTest } from '@shop/platform/service';
import { createTestDatabase, eventually, TEST_JWT_SECRET, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { catalogService } from '../src/catalog.service';

interface Report {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

/**
 * Readiness that tells a load balancer the truth: ready when the service can
 * serve requests (its database, with every migration applied), whatever the
 * broker and the outbox do; the status says the rest, and why when it fails.
 */
describe('catalog readiness', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let app: NestFastifyApplication;
  let url: string;
  let sql: Client;

  const health = async (path: 'ready' | 'status'): Promise<{ status: number; body: Report }> => {
    const res = await fetch(`${url}/health/${path}`);
    return { status: res.status, body: (await res.json()) as Report };
  };
  const ready = () => health('ready');
  const status = () => health('status');

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
    kafka = useKafka();
    ({ app, url } = await startServiceForTest(catalogService, {
      DATABASE_URL: db.urlFor('catalog'),
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${kafka.prefix}.`,
      JWT_SECRET: TEST_JWT_SECRET,
      OUTBOX_POLL_INTERVAL_MS: '100',
      OUTBOX_MAX_PENDING_SECONDS: '5',
    }));
    sql = new Client({ connectionString: db.urlFor('catalog'), options: '-c search_path=catalog' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await closeService(app);
    await kafka?.cleanup();
    await db?.drop();
  });

  it('is ready on its database and migrations alone; its status adds the broker, the consumer groups and the relay', async () => {
    const r = await ready();
    expect(r.status).toBe(200);
    expect(Object.fromEntries(Object.entries(r.body.checks).map(([k, v]) => [k, v.status]))).toEqual({ postgres: 'ok', migrations: 'ok' });
    const { body } = await eventually(async () => {
      const s = await status();
      expect(s.status).toBe(200);
      return s;
    }, 30_000);
    expect(Object.fromEntries(Object.entries(body.checks).map(([k, v]) => [k, v.status]))).toEqual({
      postgres: 'ok',
      migrations: 'ok',
      kafka: 'ok',
      consumers: 'ok',
      outbox: 'ok',
    });
  });

  it('is not ready while a migration it was built with is not applied, and names it', async () => {
    const [last] = (await sql.query<{ name: string }>('select migration_name as name from _prisma_migrations order by migration_name desc limit 1')).rows;
    await sql.query('update _prisma_migrations set rolled_back_at = now() where migration_name = $1', [last.name]);
    try {
      const { status, body } = await ready();
      expect(status).toBe(503);
      expect(body.checks.migrations).toMatchObject({ status: 'down', error: expect.stringContaining(last.name) });
    } finally {
      await sql.query('update _prisma_migrations set rolled_back_at = null where migration_name = $1', [last.name]);
    }
    expect((await ready()).status).toBe(200);
  });

  it('stays ready while its outbox is not being published: the status says how long the oldest event has waited', async () => {
    // An event for a topic that does not exist (topics are never auto-created): the relay cannot publish it.
    const id = randomUUID();
    await sql.query(
      `insert into outbox (id, topic, key, type, payload, created_at) values ($1, 'no-such-topic.v1', 'k', 'x.y', '{}', now() - interval '1 hour')`,
      [id],
    );
    try {
      const { body } = await eventually(async () => {
        const r = await status();
        expect(r.status).toBe(503);
        return r;
      });
      expect(body.checks.outbox).toMatchObject({ status: 'down', error: expect.stringMatching(/oldest unpublished event waits for \d+ s/) });
      expect((await ready()).status).toBe(200);
    } finally {
      await sql.query('delete from outbox where id = $1', [id]);
    }
    await eventually(async () => expect((await status()).status).toBe(200), 20_000);
  });
});
