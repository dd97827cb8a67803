import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { CreateProductHandler } from './create-product.handler';

function setup() {
  const world = inMemoryCatalog();
  return { ...world, handler: new CreateProductHandler(world.unitOfWork.asUnitOfWork, world.products, world.queries, world.eventOptions) };
}

const KETTLE = { sku: 'KETTLE-1', name: 'Kettle', priceCents: 2500, currency: 'EUR', stock: 10, category: 'kitchen' };

describe('CreateProductHandler', () => {
  it('creates the product at version 1 and announces it in both versions of catalog.product-upserted while v1 is published', async () => {
    const { handler, products, unitOfWork } = setup();
    const view = await handler.execute(KETTLE);
    expect(view).toMatchObject({ ...KETTLE, description: '', picture: null });
    expect(products.rows.get(view.id)).toMatchObject({ version: 1, stock: 10 });
    expect(unitOfWork.published.map((row) => [row.topic, row.envelope.version, row.envelope.aggregateVersion])).toEqual([
      ['catalog.products.v1', 1, 1],
      ['catalog.products.v2', 2, 1],
    ]);
    expect(unitOfWork.envelopes[1].data).toMatchObject({ productId: view.id, category: 'kitchen', picture: null, productVersion: 1 });
  });

  it('refuses a second product with the same sku, and a product that breaks a rule, changing nothing', async () => {
    const { handler, products, unitOfWork } = setup();
    await handler.execute(KETTLE);
    await expect(handler.execute({ ...KETTLE, name: 'Another kettle' })).rejects.toMatchObject({ code: 'DUPLICATE_SKU' });
    await expect(handler.execute({ ...KETTLE, sku: 'KETTLE-2', currency: 'euro' })).rejects.toMatchObject({ code: 'INVALID_PRODUCT' });
    expect(products.rows.size).toBe(1);
    expect(unitOfWork.published).toHaveLength(2);
  });
});
