import { createTestDatabase, TestDatabase } from '@shop/testing';
import { createPgAdapter } from '@shop/platform/database';
import { CatalogPrismaClient } from './index';

/**
 * The SQL migrations and schema.prisma must describe the same tables: migrate
 * an empty schema from the SQL files alone, then use every model and field
 * through the generated client.
 */
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
    expect(rows.map((r) => r.migration_name)).toEqual(['20261122000000_init']);
    expect(rows[0]).toMatchObject({ finished: true });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies nothing the second time', async () => {
    await db.migrate('catalog');
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>('select count(*) as count from _prisma_migrations');
    expect(Number(count)).toBe(1);
  });
});
