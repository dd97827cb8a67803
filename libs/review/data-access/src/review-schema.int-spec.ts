import { join } from 'node:path';
import { createTestDatabase, TestDatabase, workspaceRoot } from '@shop/testing';
import { createPgAdapter, readMigrations } from '@shop/platform/database';
import { ReviewPrismaClient } from './index';

/**
 * The SQL migrations and schema.prisma must describe the same tables: migrate
 * an empty schema from the SQL files alone, then use every model and field
 * through the generated client.
 */
const migrationsDir = join(workspaceRoot(), 'libs', 'review', 'data-access', 'prisma', 'migrations');

describe('review migrations agree with schema.prisma', () => {
  let db: TestDatabase;
  let prisma: ReviewPrismaClient;

  const orderId = '3c1f7e2a-8b4d-4e6f-9a0b-1c2d3e4f5a60';
  const productA = '4d2a8f3b-9c5e-4f70-8b1c-2d3e4f5a6b71';
  const productB = '5e3b9a4c-0d6f-4a81-9c2d-3e4f5a6b7c82';

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('review');
    prisma = new ReviewPrismaClient({ adapter: createPgAdapter({ url: db.urlFor('review'), schema: 'reviews' }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('lands in the reviews schema as the review role', async () => {
    const [row] = await prisma.$queryRawUnsafe<Array<{ schema: string; role: string }>>(
      'select current_schema() as schema, current_user as role',
    );
    expect(row).toEqual({ schema: 'reviews', role: 'svc_review' });
  });

  it('round-trips every field of ReviewGrant and keeps one grant per product of an order', async () => {
    const created = await prisma.reviewGrant.create({ data: { orderId, productId: productA, customerId: 'alice' } });
    expect(created).toMatchObject({ orderId, productId: productA, customerId: 'alice' });
    expect(created.grantedAt).toBeInstanceOf(Date);
    const again = await prisma.reviewGrant.createMany({
      data: [
        { orderId, productId: productA, customerId: 'alice' },
        { orderId, productId: productB, customerId: 'alice' },
      ],
      skipDuplicates: true,
    });
    expect(again.count).toBe(1);
    await expect(prisma.reviewGrant.create({ data: { orderId, productId: productA, customerId: 'mallory' } })).rejects.toMatchObject({ code: 'P2002' });
    const found = await prisma.reviewGrant.findUnique({ where: { orderId_productId: { orderId, productId: productB } } });
    expect(found?.customerId).toBe('alice');
  });

  it('round-trips every field of Review, lists by product newest first, and allows one review per product of an order', async () => {
    const first = await prisma.review.create({
      data: { id: '6f4c0b5d-1e7a-4b92-8d3e-4f5a6b7c8d93', productId: productA, orderId, customerId: 'alice', rating: 5, comment: 'Great' },
    });
    expect(first).toMatchObject({ productId: productA, orderId, customerId: 'alice', rating: 5, comment: 'Great' });
    expect(first.createdAt).toBeInstanceOf(Date);
    const second = await prisma.review.create({
      data: { id: '7a5d1c6e-2f8b-4ca3-9e4f-5a6b7c8d9ea4', productId: productB, orderId, customerId: 'alice', rating: 1 },
    });
    expect(second.comment).toBeNull();

    await expect(
      prisma.review.create({ data: { id: '8b6e2d7f-3a9c-4db4-8f5a-6b7c8d9eafb5', productId: productA, orderId, customerId: 'alice', rating: 3 } }),
    ).rejects.toMatchObject({ code: 'P2002' });

    const page = await prisma.review.findMany({ where: { productId: productA }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 10 });
    expect(page.map((r) => r.id)).toEqual([first.id]);
    expect(await prisma.review.findUnique({ where: { orderId_productId: { orderId, productId: productB } } })).toMatchObject({ id: second.id });
  });

  it('enforces the rating and comment checks', async () => {
    const base = { productId: productA, customerId: 'bob' };
    await expect(
      prisma.review.create({ data: { ...base, id: '9c7f3e8a-4b0d-4ec5-9a6b-7c8d9eafb0c6', orderId: '0d8a4f9b-5c1e-4fd6-8b7c-8d9eafb0c1d7', rating: 0 } }),
    ).rejects.toThrow(/reviews_rating_check/);
    await expect(
      prisma.review.create({ data: { ...base, id: '1e9b5a0c-6d2f-4ae7-9c8d-9eafb0c1d2e8', orderId: '2f0c6b1d-7e3a-4bf8-8d9e-afb0c1d2e3f9', rating: 6 } }),
    ).rejects.toThrow(/reviews_rating_check/);
    await expect(
      prisma.review.create({
        data: { ...base, id: '3a1d7c2e-8f4b-4c09-9eaf-b0c1d2e3f40a', orderId: '4b2e8d3f-9a5c-4d1a-8fb0-c1d2e3f4051b', rating: 3, comment: 'x'.repeat(2001) },
      }),
    ).rejects.toThrow(/reviews_comment_check/);
    expect(await prisma.review.count({ where: { customerId: 'bob' } })).toBe(0);
  });

  it('round-trips the outbox and the inbox', async () => {
    const eventId = '5c3f9e4a-0b6d-4e2b-9ac1-d2e3f405162c';
    const row = await prisma.outbox.create({ data: { id: eventId, topic: 't', key: productA, type: 'x.y', payload: { a: 1 }, headers: { h: 'v' } } });
    expect(row).toMatchObject({ id: eventId, payload: { a: 1 }, headers: { h: 'v' }, publishedAt: null });
    expect(typeof row.seq).toBe('bigint');
    const published = await prisma.outbox.update({ where: { id: eventId }, data: { publishedAt: new Date() } });
    expect(published.publishedAt).toBeInstanceOf(Date);
    const inbox = await prisma.inbox.create({ data: { consumerGroup: 'review', eventId, eventType: 'x.y' } });
    expect(inbox.processedAt).toBeInstanceOf(Date);
    await expect(prisma.inbox.create({ data: { consumerGroup: 'review', eventId, eventType: 'x.y' } })).rejects.toMatchObject({ code: 'P2002' });
    expect(await prisma.inbox.count()).toBe(1);
  });

  it('is recorded in _prisma_migrations like Prisma Migrate would', async () => {
    const rows = await prisma.$queryRawUnsafe<Array<{ migration_name: string; finished: boolean; checksum: string }>>(
      'select migration_name, finished_at is not null as finished, checksum from _prisma_migrations order by migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations(migrationsDir).map((m) => m.name));
    expect(rows[0]).toMatchObject({ finished: true });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies nothing the second time', async () => {
    await db.migrate('review');
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>('select count(*) as count from _prisma_migrations');
    expect(Number(count)).toBe(readMigrations(migrationsDir).length);
  });

  it('round-trips the dead-letter replay marks', async () => {
    await prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.review.dlt', partition: 2, offset: 9007199254740993n } });
    const [mark] = await prisma.deadLetterReplay.findMany();
    expect(mark).toEqual({ topic: 'a.b.v1.review.dlt', partition: 2, offset: 9007199254740993n, replayedAt: expect.any(Date) });
    await expect(
      prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.review.dlt', partition: 2, offset: 9007199254740993n } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

});
