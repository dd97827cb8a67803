import { randomUUID } from 'node:crypto';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import { lockShared } from '@shop/platform/database';
import type { ReviewCreatedV1 } from '@shop/shared/contracts';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { toProductView } from '../../catalog.mapper';
import { InMemoryEventHistory } from '@shop/platform/messaging';
import { RebuildRatingsHandler } from './rebuild-ratings.handler';

function setup() {
  const world = inMemoryCatalog();
  const topic = new InMemoryEventHistory<'review.created'>();
  const handler = new RebuildRatingsHandler(world.unitOfWork.asUnitOfWork, world.ratings, topic);
  const product = (sku: string) => world.products.stored({ id: randomUUID(), sku, name: sku, priceCents: 1000, currency: 'EUR', stock: 5 }).id;
  const kettle = product('KETTLE');
  const mug = product('MUG');
  const review = (productId: string, rating: number): ReviewCreatedV1 => ({ reviewId: randomUUID(), productId, orderId: randomUUID(), customerId: 'ada', rating });
  /** What the live consumer does with a review.created: counts it in the batch's unit, which holds the products' lock. */
  const live = (created: ReviewCreatedV1) =>
    world.unitOfWork.run(async (tx) => {
      await lockShared(tx, [PRODUCT_ROWS]);
      await world.ratings.count(tx, created);
    });
  const rating = async (id: string) => {
    const product = await world.queries.product(id);
    if (!product) throw new Error(`no product ${id}`);
    return toProductView(product).rating;
  };
  return { ...world, topic, handler, kettle, mug, review, live, rating };
}

describe('RebuildRatingsHandler', () => {
  it("counts every review of the topic into its product's rating, one unit per batch under the products' lock", async () => {
    const { topic, handler, kettle, mug, review, rating, unitOfWork } = setup();
    topic.records.push(review(kettle, 5), review(kettle, 4), review(mug, 2));
    await expect(handler.execute()).resolves.toEqual({ events: 3, imported: 3, products: 0 });
    expect(await rating(kettle)).toEqual({ average: 4.5, count: 2 });
    expect(await rating(mug)).toEqual({ average: 2, count: 1 });
    expect(unitOfWork.commits).toBe(2);
    // the rating read model is the catalog's own: rebuilding it tells no one
    expect(unitOfWork.published).toEqual([]);
  });

  it('counts only the reviews missing from the model: one the live consumer counted, or one the topic holds twice, counts once', async () => {
    const { topic, handler, kettle, review, live, rating } = setup();
    const counted = review(kettle, 5);
    await live(counted);
    const twice = review(kettle, 1);
    topic.records.push(counted, twice, twice, review(kettle, 3));
    await expect(handler.execute()).resolves.toEqual({ events: 4, imported: 2, products: 0 });
    expect(await rating(kettle)).toEqual({ average: 3, count: 3 });
  });

  it('changes nothing when run again over the same topic', async () => {
    const { topic, handler, kettle, mug, review, rating } = setup();
    topic.records.push(review(kettle, 5), review(mug, 2), review(kettle, 4));
    await handler.execute();
    await expect(handler.execute()).resolves.toEqual({ events: 3, imported: 0, products: 0 });
    expect([await rating(kettle), await rating(mug)]).toEqual([
      { average: 4.5, count: 2 },
      { average: 2, count: 1 },
    ]);
  });

  it('keeps the review of a product it does not know without changing any product, and folds it in once the product exists', async () => {
    const { topic, handler, kettle, review, rating, products, ratings } = setup();
    const later = randomUUID();
    topic.records.push(review(later, 4), review(kettle, 2));
    await expect(handler.execute()).resolves.toEqual({ events: 2, imported: 2, products: 0 });
    expect(ratings.contributions.size).toBe(2);
    expect(await rating(kettle)).toEqual({ average: 2, count: 1 });
    products.stored({ id: later, sku: 'LATER', name: 'Later', priceCents: 1000, currency: 'EUR', stock: 1 });
    await expect(handler.execute()).resolves.toEqual({ events: 2, imported: 0, products: 1 });
    expect(await rating(later)).toEqual({ average: 4, count: 1 });
  });

  it('counts a review the live consumer counts while the rebuild runs once', async () => {
    const { topic, handler, kettle, review, live, rating } = setup();
    const racing = review(kettle, 1);
    topic.records.push(review(kettle, 5), review(kettle, 5), racing);
    topic.during = (batch) => (batch === 1 ? live(racing) : undefined);
    await expect(handler.execute()).resolves.toEqual({ events: 3, imported: 2, products: 0 });
    expect(await rating(kettle)).toEqual({ average: 3.67, count: 3 });
  });

  it('keeps the batches it counted when the read fails half-way, nothing of the failed one, and a second run completes the rest', async () => {
    const { topic, handler, kettle, mug, review, rating } = setup();
    topic.records.push(review(kettle, 5), review(kettle, 3), review(mug, 4));
    topic.during = (batch) => {
      if (batch === 1) throw new Error('the broker went away');
    };
    await expect(handler.execute()).rejects.toThrow('the broker went away');
    expect([await rating(kettle), await rating(mug)]).toEqual([
      { average: 4, count: 2 },
      { average: null, count: 0 },
    ]);
    topic.during = undefined;
    await expect(handler.execute()).resolves.toEqual({ events: 3, imported: 1, products: 0 });
    expect(await rating(mug)).toEqual({ average: 4, count: 1 });
  });
});
