import { randomUUID } from 'node:crypto';
import { PRODUCT_ROWS } from '@shop/catalog/data-access';
import { lockShared } from '@shop/platform/database';
import { ProblemException } from '@shop/platform/http';
import type { ReviewExportItem } from '@shop/shared/contracts';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { toProductView } from '../../catalog.mapper';
import { InMemoryReviewExport } from '../../../test/in-memory-review-sources';
import { ImportRatingsHandler } from './import-ratings.handler';

const MONDAY = '2026-11-30T09:00:00.000Z';
const WEDNESDAY = '2026-12-02T09:00:00.000Z';

function setup() {
  const world = inMemoryCatalog();
  const reviews = new InMemoryReviewExport();
  const handler = new ImportRatingsHandler(world.unitOfWork.asUnitOfWork, world.ratings, reviews);
  const product = (sku: string) => world.products.stored({ id: randomUUID(), sku, name: sku, priceCents: 1000, currency: 'EUR', stock: 5 }).id;
  const kettle = product('KETTLE');
  const mug = product('MUG');
  /** A review the review service has written (it goes to the end of its export). */
  const written = (productId: string, rating: number, changedAt = MONDAY): ReviewExportItem => {
    const item = { reviewId: randomUUID(), productId, orderId: randomUUID(), customerId: 'ada', rating, changedAt };
    reviews.rows.push(item);
    return item;
  };
  const live = (item: ReviewExportItem) =>
    world.unitOfWork.run(async (tx) => {
      await lockShared(tx, [PRODUCT_ROWS]);
      await world.ratings.count(tx, item);
    });
  const rating = async (id: string) => {
    const product = await world.queries.product(id);
    if (!product) throw new Error(`no product ${id}`);
    return toProductView(product).rating;
  };
  return { ...world, reviews, handler, kettle, mug, written, live, rating };
}

afterEach(() => jest.useRealTimers());

describe('ImportRatingsHandler', () => {
  it("counts the whole export, page by page, into the products' ratings", async () => {
    const { reviews, handler, kettle, mug, written, rating, unitOfWork } = setup();
    for (let i = 0; i < 1_100; i++) written(i % 2 ? kettle : mug, i % 2 ? 5 : 3);
    await expect(handler.execute({})).resolves.toEqual({ fetched: 1_100, updated: 1_100, nextCursor: null, products: 0 });
    expect([await rating(kettle), await rating(mug)]).toEqual([
      { average: 5, count: 550 },
      { average: 3, count: 550 },
    ]);
    expect(reviews.pages).toBe(3);
    expect(unitOfWork.commits).toBe(3);
    expect(unitOfWork.published).toEqual([]);
  });

  it('counts only the reviews missing from the model: one the live consumer counted counts once', async () => {
    const { handler, kettle, written, live, rating } = setup();
    await live(written(kettle, 5));
    written(kettle, 1);
    await expect(handler.execute({})).resolves.toEqual({ fetched: 2, updated: 1, nextCursor: null, products: 0 });
    expect(await rating(kettle)).toEqual({ average: 3, count: 2 });
  });

  it('changes nothing when run again', async () => {
    const { handler, kettle, mug, written, rating } = setup();
    written(kettle, 4);
    written(mug, 2);
    await handler.execute({});
    await expect(handler.execute({})).resolves.toEqual({ fetched: 2, updated: 0, nextCursor: null, products: 0 });
    expect([await rating(kettle), await rating(mug)]).toEqual([
      { average: 4, count: 1 },
      { average: 2, count: 1 },
    ]);
  });

  it('imports since a time only the reviews written from then on', async () => {
    const { handler, kettle, written, rating } = setup();
    written(kettle, 1, MONDAY);
    written(kettle, 5, WEDNESDAY);
    await expect(handler.execute({ since: '2026-12-01T00:00:00.000Z' })).resolves.toEqual({ fetched: 1, updated: 1, nextCursor: null, products: 0 });
    expect(await rating(kettle)).toEqual({ average: 5, count: 1 });
  });

  it('stops when its time is up with a cursor, recounting no product until the export is done, and goes on from the cursor', async () => {
    const { reviews, handler, kettle, written, rating, products, ratings } = setup();
    const later = randomUUID();
    written(later, 4);
    for (let i = 0; i < 1_199; i++) written(kettle, 5);
    jest.useFakeTimers({ now: Date.parse(WEDNESDAY) });
    reviews.during = (page) => {
      jest.advanceTimersByTime(1_500); // a slow review service: two pages use up a call's two seconds
      // the product reviewed first appears in the catalog after its review was counted: the recount at the end folds it in
      if (page === 2) products.stored({ id: later, sku: 'LATER', name: 'Later', priceCents: 1000, currency: 'EUR', stock: 1 });
    };
    const first = await handler.execute({});
    expect(first).toEqual({ fetched: 1_000, updated: 1_000, nextCursor: expect.any(String), products: 0 });
    expect(await rating(later)).toEqual({ average: null, count: 0 });
    const rest = await handler.execute({ cursor: first.nextCursor ?? undefined });
    expect(rest).toEqual({ fetched: 200, updated: 200, nextCursor: null, products: 1 });
    expect(await rating(later)).toEqual({ average: 4, count: 1 });
    expect(await rating(kettle)).toEqual({ average: 5, count: 1_199 });
    expect(ratings.contributions.size).toBe(1_200);
  });

  it('fails as the review service does, keeping the pages it counted and nothing of the next, and a second run completes the rest', async () => {
    const { reviews, handler, kettle, mug, written, rating } = setup();
    for (let i = 0; i < 500; i++) written(kettle, 4);
    for (let i = 0; i < 100; i++) written(mug, 2);
    const unreachable = new ProblemException(502, "review's export answered 503: not ready");
    reviews.during = (page) => {
      if (page === 2) throw unreachable;
    };
    await expect(handler.execute({})).rejects.toBe(unreachable);
    expect([await rating(kettle), await rating(mug)]).toEqual([
      { average: 4, count: 500 },
      { average: null, count: 0 },
    ]);
    reviews.during = undefined;
    await expect(handler.execute({})).resolves.toEqual({ fetched: 600, updated: 100, nextCursor: null, products: 0 });
    expect(await rating(mug)).toEqual({ average: 2, count: 100 });
  });
});
