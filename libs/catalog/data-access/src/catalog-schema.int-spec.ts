import { join } from 'node:path';
import { createTestDatabase, TestDatabase, workspaceRoot } from '@shop/testing';
import { createPgAdapter, readMigrations } from '@shop/platform/database';
import { CatalogPrismaClient } from './index';

/**
 * The SQL migrations and schema.prisma must describe the same tables: migrate
 * an empty schema from the SQL files alone, then use every model and field
 * through the generated client.
 */
const migrationsDir = join(workspaceRoot(), 'libs', 'catalog', 'data-access', 'prisma', 'migrations');

describe('catalog migrations agree with schema.prisma', () => {
  let db: TestDatabase;
  let prisma: CatalogPrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
    prisma = new CatalogPrismaClient({ adapter: createPgAdapter({ url: db.urlFor('catalog'), schema: 'catalog' }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('lands in the catalog schema as the catalog role', async () => {
    const [row] = await prisma.$queryRawUnsafe<Array<{ schema: string; role: string }>>(
      'select current_schema() as schema, current_user as role',
    );
    expect(row).toEqual({ schema: 'catalog', role: 'svc_catalog' });
  });

  it('round-trips every field of Product', async () => {
    const id = '0b8f5c2e-2a55-4c1b-9d7e-3f1f2f0a9b11';
    const created = await prisma.product.create({
      data: { id, sku: 'SKU-1', name: 'Kettle', description: 'Boils water', priceCents: 4999, currency: 'EUR', stock: 7 },
    });
    expect(created).toMatchObject({ id, sku: 'SKU-1', name: 'Kettle', priceCents: 4999, currency: 'EUR', stock: 7, version: 1 });
    expect(created.createdAt).toBeInstanceOf(Date);

    const updated = await prisma.product.update({ where: { id }, data: { stock: { decrement: 2 }, version: { increment: 1 } } });
    expect(updated).toMatchObject({ stock: 5, version: 2 });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const page = await prisma.product.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 10 });
    expect(page.map((p) => p.sku)).toEqual(['SKU-1']);
    await prisma.product.delete({ where: { id } });
    expect(await prisma.product.count()).toBe(0);
  });

  it('round-trips the rating read model, stock reservations, the outbox and the inbox', async () => {
    const id = '5f0c7a8e-1b2c-4d3e-8f9a-0b1c2d3e4f50';
    await prisma.product.create({ data: { id, sku: 'RATED', name: 'Rated', priceCents: 1, currency: 'EUR', stock: 1 } });
    const rated = await prisma.product.update({ where: { id }, data: { ratingCount: { increment: 2 }, ratingSum: { increment: 9 } } });
    expect(rated).toMatchObject({ ratingCount: 2, ratingSum: 9 });

    const orderId = '6a1d8b9f-2c3d-4e5f-9a0b-1c2d3e4f5a61';
    await prisma.stockReservation.create({ data: { orderId, status: 'RESERVED', items: [{ productId: id, quantity: 1 }] } });
    const released = await prisma.stockReservation.update({ where: { orderId }, data: { status: 'RELEASED' } });
    expect(released).toMatchObject({ status: 'RELEASED', items: [{ productId: id, quantity: 1 }] });

    const eventId = '7b2e9c0a-3d4e-4f6a-8b1c-2d3e4f5a6b72';
    const row = await prisma.outbox.create({ data: { id: eventId, topic: 't', key: orderId, type: 'x.y', payload: { a: 1 }, headers: { h: 'v' } } });
    expect(row).toMatchObject({ id: eventId, payload: { a: 1 }, headers: { h: 'v' }, publishedAt: null });
    expect(typeof row.seq).toBe('bigint');
    await prisma.outbox.update({ where: { id: eventId }, data: { publishedAt: new Date() } });
    await prisma.inbox.create({ data: { consumerGroup: 'catalog', eventId, eventType: 'x.y' } });
    await expect(prisma.inbox.create({ data: { consumerGroup: 'catalog', eventId, eventType: 'x.y' } })).rejects.toMatchObject({ code: 'P2002' });
    expect(await prisma.inbox.count()).toBe(1);
  });

  it('enforces the unique sku and the stock and price checks', async () => {
    const base = { name: 'Mug', priceCents: 900, currency: 'EUR', stock: 1 };
    await prisma.product.create({ data: { ...base, id: '1d7a3a44-5a0e-4f4e-8a8f-0f6b1b2c3d01', sku: 'MUG' } });
    await expect(
      prisma.product.create({ data: { ...base, id: '1d7a3a44-5a0e-4f4e-8a8f-0f6b1b2c3d02', sku: 'MUG' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(
      prisma.product.update({ where: { sku: 'MUG' }, data: { stock: { decrement: 2 } } }),
    ).rejects.toThrow(/products_stock_check/);
    await expect(
      prisma.product.create({ data: { ...base, priceCents: -1, id: '1d7a3a44-5a0e-4f4e-8a8f-0f6b1b2c3d03', sku: 'NEG' } }),
    ).rejects.toThrow(/products_price_cents_check/);
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
    await db.migrate('catalog');
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>('select count(*) as count from _prisma_migrations');
    expect(Number(count)).toBe(readMigrations(migrationsDir).length);
  });

  it('round-trips the dead-letter replay marks', async () => {
    await prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.catalog.dlt', partition: 2, offset: 9007199254740993n } });
    const [mark] = await prisma.deadLetterReplay.findMany();
    expect(mark).toEqual({ topic: 'a.b.v1.catalog.dlt', partition: 2, offset: 9007199254740993n, replayedAt: expect.any(Date) });
    await expect(
      prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.catalog.dlt', partition: 2, offset: 9007199254740993n } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

});
