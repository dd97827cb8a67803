import { randomUUID } from 'node:crypto';
import { inMemoryReviews } from '../../../test/in-memory-reviews';
import { CreateReviewHandler } from './create-review.handler';

function setup() {
  const world = inMemoryReviews();
  const handler = new CreateReviewHandler(world.unitOfWork.asUnitOfWork, world.reviews);
  const orderId = randomUUID();
  const productId = randomUUID();
  world.reviews.grants.set(`${orderId}/${productId}`, { orderId, productId, customerId: 'ada' });
  return { ...world, handler, orderId, productId };
}

describe('CreateReviewHandler', () => {
  it("writes the customer's review of a product delivered to them and publishes review.created", async () => {
    const { handler, orderId, productId, reviews, unitOfWork } = setup();
    const view = await handler.execute({ customerId: 'ada', productId }, { orderId, rating: 4, comment: '  Boils fast.  ' });
    expect(view).toMatchObject({ productId, orderId, customerId: 'ada', rating: 4, comment: 'Boils fast.' });
    expect(reviews.rows.size).toBe(1);
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'review.created', aggregateId: view.id, data: { reviewId: view.id, productId, orderId, customerId: 'ada', rating: 4 } }),
    ]);
  });

  it('refuses a second review of the same product of the same order, and changes nothing', async () => {
    const { handler, orderId, productId, reviews, unitOfWork } = setup();
    await handler.execute({ customerId: 'ada', productId }, { orderId, rating: 5 });
    await expect(handler.execute({ customerId: 'ada', productId }, { orderId, rating: 1 })).rejects.toMatchObject({ code: 'ALREADY_REVIEWED' });
    expect([...reviews.rows.values()].map((r) => r.rating)).toEqual([5]);
    expect(unitOfWork.published).toHaveLength(1);
  });

  it("refuses someone else's grant, a product not in the order, and an unknown order", async () => {
    const { handler, orderId, productId, reviews, unitOfWork } = setup();
    await expect(handler.execute({ customerId: 'grace', productId }, { orderId, rating: 5 })).rejects.toMatchObject({ code: 'NOT_REVIEWABLE' });
    await expect(handler.execute({ customerId: 'ada', productId: randomUUID() }, { orderId, rating: 5 })).rejects.toMatchObject({ code: 'NOT_REVIEWABLE' });
    await expect(handler.execute({ customerId: 'ada', productId }, { orderId: randomUUID(), rating: 5 })).rejects.toMatchObject({ code: 'NOT_REVIEWABLE' });
    expect(reviews.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });
});
