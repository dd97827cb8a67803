import { randomUUID } from 'node:crypto';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { UpdateProductHandler } from './update-product.handler';

function setup() {
  const world = inMemoryCatalog();
  const handler = new UpdateProductHandler(world.unitOfWork.asUnitOfWork, world.products, world.queries, world.eventOptions);
  const id = world.products.stored({ id: randomUUID(), sku: 'KETTLE', name: 'Kettle', priceCents: 2500, currency: 'EUR', stock: 10 }).id;
  return { ...world, handler, id };
}

describe('UpdateProductHandler', () => {
  it("changes what an admin may change, bumps the version and announces the product's new state", async () => {
    const { handler, id, products, unitOfWork } = setup();
    const view = await handler.execute(id, { priceCents: 1999, category: 'kitchen' });
    expect(view).toMatchObject({ id, priceCents: 1999, category: 'kitchen', stock: 10 });
    expect(products.rows.get(id)).toMatchObject({ version: 2, priceCents: 1999 });
    expect(unitOfWork.envelopes.map((e) => [e.version, e.aggregateVersion, (e.data as { priceCents: number }).priceCents])).toEqual([
      [1, 2, 1999],
      [2, 2, 1999],
    ]);
  });

  it('refuses an unknown product and a change that breaks a rule, changing nothing', async () => {
    const { handler, id, products, unitOfWork } = setup();
    const before = structuredClone(products.rows.get(id));
    await expect(handler.execute(randomUUID(), { priceCents: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(handler.execute(id, { stock: -1 })).rejects.toMatchObject({ code: 'INVALID_PRODUCT' });
    expect(products.rows.get(id)).toEqual(before);
    expect(unitOfWork.published).toEqual([]);
  });
});
