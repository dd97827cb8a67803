import { randomUUID } from 'node:crypto';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import { lockShared } from '@shop/platform/database';
import type { ReviewCreatedV1 } from '@shop/shared/contracts';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { toProductView } from '../../catalog.mapper';
import { RecordRatingHandler } from './record-rating.handler';

function setup() {
  const world = inMemoryCatalog();
  const handler = new RecordRatingHandler(world.ratings);
  const kettle = world.products.stored({ id: randomUUID(), sku: 'KETTLE', name: 'Kettle', priceCents: 1000, currency: 'EUR', stock: 5 }).id;
  const review = (productId: string, rating: number): ReviewCreatedV1 => ({ reviewId: randomUUID(), productId, orderId: randomUUID(), customerId: 'ada', rating });
  /** As the consumer runs it: in the batch's unit, which holds the lock the event controller declares. */
  const record = (created: ReviewCreatedV1) =>
    world.unitOfWork.run(async (tx) => {
      await lockShared(tx, [PRODUCT_ROWS]);
      return handler.execute(tx, created);
    });
  const rating = async (id: string) => {
    const product = await world.queries.product(id);
    if (!product) throw new Error(`no product ${id}`);
    return toProductView(product).rating;
  };
  return { ...world, handler, kettle, review, record, rating };
}

describe('RecordRatingHandler', () => {
  it("counts a review into its product's rating", async () => {
    const { kettle, review, record, rating, unitOfWork } = setup();
    await expect(record(review(kettle, 5))).resolves.toBe(true);
    await expect(record(review(kettle, 2))).resolves.toBe(true);
    expect(await rating(kettle)).toEqual({ average: 3.5, count: 2 });
    // the rating read model is the catalog's own: counting tells no one
    expect(unitOfWork.published).toEqual([]);
  });

  it('counts a review once, however often it is delivered (a replay, a retry, a rebuild beside it)', async () => {
    const { kettle, review, record, rating } = setup();
    const once = review(kettle, 4);
    await record(once);
    await expect(record(once)).resolves.toBe(false);
    await expect(record({ ...once, rating: 1 })).resolves.toBe(false);
    expect(await rating(kettle)).toEqual({ average: 4, count: 1 });
  });

  it('keeps the contribution of a review whose product the catalog does not have, for a later recount', async () => {
    const { review, record, ratings } = setup();
    const stray = review(randomUUID(), 3);
    await expect(record(stray)).resolves.toBe(true);
    expect(ratings.contributions.get(stray.reviewId)).toEqual({ reviewId: stray.reviewId, productId: stray.productId, rating: 3 });
  });

  it('counts nothing when the batch it ran in fails, so the retried batch counts it', async () => {
    const { kettle, review, handler, record, rating, unitOfWork } = setup();
    const created = review(kettle, 5);
    await expect(
      unitOfWork.run(async (tx) => {
        await lockShared(tx, [PRODUCT_ROWS]);
        await handler.execute(tx, created);
        throw new Error('a later record of the batch failed');
      }),
    ).rejects.toThrow('a later record');
    expect(await rating(kettle)).toEqual({ average: null, count: 0 });
    await expect(record(created)).resolves.toBe(true);
    expect(await rating(kettle)).toEqual({ average: 5, count: 1 });
  });
});
