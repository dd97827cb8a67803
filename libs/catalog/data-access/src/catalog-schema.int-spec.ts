import { CatalogPrismaClient } from './index';
import { Client } from 'pg';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the catalog service's own models and rules. */
describeServiceSchema('catalog', 'catalog', CatalogPrismaClient, ({ client, db }) => {
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

  it('numbers each change to what the export carries in commit order, and leaves stock changes unnumbered', async () => {
    const product = (n: number) => ({ id: `2e8b4b55-6b1f-4a5f-9b90-1a7c2c3d4e${String(n).padStart(2, '0')}`, sku: `SEQ-${n}`, name: `Seq ${n}`, priceCents: 100, currency: 'EUR', stock: 5 });
    const seqOf = async (id: string) => (await prisma.product.findUniqueOrThrow({ where: { id } })).changeSeq;
    const a = await prisma.product.create({ data: product(1) });
    const b = await prisma.product.create({ data: product(2) });
    expect(b.changeSeq).toBeGreaterThan(a.changeSeq);
    expect(b.changedAt.getTime()).toBeGreaterThanOrEqual(a.changedAt.getTime());

    await prisma.product.update({ where: { id: a.id }, data: { stock: { decrement: 1 }, version: { increment: 1 } } });
    expect(await seqOf(a.id)).toBe(a.changeSeq);
    await prisma.product.update({ where: { id: a.id }, data: { priceCents: 120 } });
    expect(await seqOf(a.id)).toBeGreaterThan(b.changeSeq);

    // A change that started first but commits last still gets the lower number only if it commits first:
    // the second writer waits for the clock until the first commits.
    const first = new Client({ connectionString: db().urlFor('catalog') });
    const second = new Client({ connectionString: db().urlFor('catalog') });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query('begin');
      await first.query("update products set name = 'held' where id = $1", [b.id]);
      let secondDone = false;
      const writing = second.query("update products set name = 'later' where id = $1", [a.id]).then(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(secondDone).toBe(false);
      await first.query('commit');
      await writing;
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    expect(await seqOf(a.id)).toBeGreaterThan(await seqOf(b.id));
  });
});
