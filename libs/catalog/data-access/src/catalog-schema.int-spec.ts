import { CatalogPrismaClient } from './index';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the catalog service's own models and rules. */
describeServiceSchema('catalog', 'catalog', CatalogPrismaClient, ({ client }) => {
  let prisma: CatalogPrismaClient;

  beforeAll(() => {
    prisma = client();
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

  it('round-trips the rating read model and stock reservations', async () => {
    const id = '5f0c7a8e-1b2c-4d3e-8f9a-0b1c2d3e4f50';
    await prisma.product.create({ data: { id, sku: 'RATED', name: 'Rated', priceCents: 1, currency: 'EUR', stock: 1 } });
    const rated = await prisma.product.update({ where: { id }, data: { ratingCount: { increment: 2 }, ratingSum: { increment: 9 } } });
    expect(rated).toMatchObject({ ratingCount: 2, ratingSum: 9 });

    const orderId = '6a1d8b9f-2c3d-4e5f-9a0b-1c2d3e4f5a61';
    await prisma.stockReservation.create({ data: { orderId, status: 'RESERVED', items: [{ productId: id, quantity: 1 }] } });
    const released = await prisma.stockReservation.update({ where: { orderId }, data: { status: 'RELEASED' } });
    expect(released).toMatchObject({ status: 'RELEASED', items: [{ productId: id, quantity: 1 }] });

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
});
