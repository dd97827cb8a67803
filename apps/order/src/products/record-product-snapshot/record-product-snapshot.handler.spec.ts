import { randomUUID } from 'node:crypto';
import type { ProductUpsertedV1 } from '@shop/shared/contracts';
import { inMemoryOrders } from '../../../test/in-memory-orders';
import { RecordProductSnapshotHandler } from './record-product-snapshot.handler';

function setup() {
  const world = inMemoryOrders();
  const handler = new RecordProductSnapshotHandler(world.products);
  const upserted = (overrides: Partial<ProductUpsertedV1> = {}): ProductUpsertedV1 => ({
    productId: randomUUID(),
    sku: 'KETTLE-1',
    name: 'Kettle',
    description: 'boils water',
    priceCents: 2_500,
    currency: 'EUR',
    productVersion: 1,
    ...overrides,
  });
  const record = (product: ProductUpsertedV1) => world.unitOfWork.run(async (tx) => handler.execute(tx, product));
  return { ...world, handler, upserted, record };
}

describe('RecordProductSnapshotHandler', () => {
  it('keeps what an order needs of the product, and nothing else', async () => {
    const { products, upserted, record, unitOfWork } = setup();
    const kettle = upserted();
    await record(kettle);
    expect(products.rows.get(kettle.productId)).toEqual({
      productId: kettle.productId,
      sku: 'KETTLE-1',
      name: 'Kettle',
      priceCents: 2_500,
      currency: 'EUR',
      productVersion: 1,
    });
    expect(unitOfWork.published).toEqual([]);
  });

  it('takes a newer version of the product', async () => {
    const { products, upserted, record } = setup();
    const kettle = upserted();
    await record(kettle);
    await record({ ...kettle, name: 'Electric kettle', priceCents: 2_900, productVersion: 2 });
    expect(products.rows.get(kettle.productId)).toMatchObject({ name: 'Electric kettle', priceCents: 2_900, productVersion: 2 });
  });

  it('leaves a newer snapshot alone when an older version comes again (a replay) or late', async () => {
    const { products, upserted, record } = setup();
    const kettle = upserted({ productVersion: 3, priceCents: 3_100 });
    await record(kettle);
    await record({ ...kettle, productVersion: 2, priceCents: 2_000 });
    await record({ ...kettle, productVersion: 3, priceCents: 9_999 });
    expect(products.rows.get(kettle.productId)).toMatchObject({ productVersion: 3, priceCents: 3_100 });
  });

  it('keeps nothing when the unit it ran in fails (the consumer retries the batch)', async () => {
    const { products, upserted, handler, unitOfWork } = setup();
    const kettle = upserted();
    await expect(
      unitOfWork.run(async (tx) => {
        handler.execute(tx, kettle);
        throw new Error('the batch failed after this record');
      }),
    ).rejects.toThrow('the batch failed');
    expect(products.rows.has(kettle.productId)).toBe(false);
  });
});
