import { randomUUID } from 'node:crypto';
import type { ProductUpsertedV1 } from '@shop/shared/contracts';
import { InMemoryEventHistory } from '@shop/platform/messaging';
import { inMemoryOrders } from '../../../test/in-memory-orders';
import { RebuildProductSnapshotsHandler } from './rebuild-product-snapshots.handler';

function setup() {
  const world = inMemoryOrders();
  const topic = new InMemoryEventHistory<'catalog.product-upserted'>();
  const handler = new RebuildProductSnapshotsHandler(world.unitOfWork.asUnitOfWork, world.products, topic);
  const kettleId = randomUUID();
  const mugId = randomUUID();
  const kettle = (productVersion: number, priceCents: number): ProductUpsertedV1 => ({
    productId: kettleId,
    sku: 'KETTLE',
    name: 'Kettle',
    description: 'Boils water',
    priceCents,
    currency: 'EUR',
    productVersion,
  });
  const mug: ProductUpsertedV1 = { productId: mugId, sku: 'MUG', name: 'Mug', description: 'Holds tea', priceCents: 450, currency: 'EUR', productVersion: 1 };
  /** What a live `catalog.product-upserted` stores, in a unit of its own, as the event handler does. */
  const live = (product: ProductUpsertedV1) =>
    world.unitOfWork.run(async (tx) => {
      const { description: _description, ...snapshot } = product;
      world.products.upsert(tx, snapshot);
    });
  const snapshot = () => new Map([...world.products.rows].map(([id, p]) => [id, { version: p.productVersion, priceCents: p.priceCents }]));
  return { ...world, topic, handler, kettleId, mugId, kettle, mug, live, snapshot };
}

describe('RebuildProductSnapshotsHandler', () => {
  it('stores every product of the topic at its newest version, one unit per batch, and counts the rows it added or moved forward', async () => {
    const { topic, handler, kettle, mug, kettleId, mugId, products, unitOfWork } = setup();
    topic.records.push(kettle(1, 1500), mug, kettle(2, 1800));
    await expect(handler.execute()).resolves.toEqual({ events: 3, updated: 3 });
    expect(products.rows.get(kettleId)).toEqual({ productId: kettleId, sku: 'KETTLE', name: 'Kettle', priceCents: 1800, currency: 'EUR', productVersion: 2 });
    expect(products.rows.get(mugId)).toMatchObject({ priceCents: 450, productVersion: 1 });
    expect(unitOfWork.commits).toBe(2);
    // a snapshot is the order service's own read model: rebuilding it tells no one
    expect(unitOfWork.published).toEqual([]);
  });

  it('changes nothing when run again over the same topic', async () => {
    const { topic, handler, kettle, mug, snapshot } = setup();
    topic.records.push(kettle(1, 1500), mug, kettle(2, 1800));
    await handler.execute();
    const first = snapshot();
    await expect(handler.execute()).resolves.toEqual({ events: 3, updated: 0 });
    expect(snapshot()).toEqual(first);
  });

  it('never moves a product back: a newer version a live event stored during the rebuild stays', async () => {
    const { topic, handler, kettle, mug, kettleId, mugId, live, snapshot } = setup();
    topic.records.push(mug, kettle(1, 1500), kettle(2, 1800));
    topic.during = (batch) => (batch === 1 ? live(kettle(3, 2100)) : undefined);
    await expect(handler.execute()).resolves.toEqual({ events: 3, updated: 2 });
    expect(snapshot()).toEqual(
      new Map([
        [mugId, { version: 1, priceCents: 450 }],
        [kettleId, { version: 3, priceCents: 2100 }],
      ]),
    );
  });

  it('keeps the batches it stored when the read fails half-way, nothing of the failed one, and a second run completes the rest', async () => {
    const { topic, handler, kettle, mug, kettleId, mugId, products } = setup();
    const teapot = { ...mug, productId: randomUUID(), sku: 'TEAPOT', name: 'Teapot' };
    topic.records.push(kettle(1, 1500), mug, teapot);
    topic.during = (batch) => {
      if (batch === 1) throw new Error('the broker went away');
    };
    await expect(handler.execute()).rejects.toThrow('the broker went away');
    expect([...products.rows.keys()].sort()).toEqual([kettleId, mugId].sort());
    topic.during = undefined;
    await expect(handler.execute()).resolves.toEqual({ events: 3, updated: 1 });
    expect(products.rows.get(teapot.productId)).toMatchObject({ sku: 'TEAPOT', productVersion: 1 });
  });

  it('reads an empty topic as nothing to do', async () => {
    const { handler, products, unitOfWork } = setup();
    await expect(handler.execute()).resolves.toEqual({ events: 0, updated: 0 });
    expect(products.rows.size).toBe(0);
    expect(unitOfWork.commits).toBe(0);
  });
});
