import { randomUUID } from 'node:crypto';
import type { OrderDeliveredV1 } from '@shop/shared/contracts';
import { inMemoryReviews } from '../../../test/in-memory-reviews';
import { GrantReviewsHandler } from './grant-reviews.handler';

describe('GrantReviewsHandler', () => {
  it('grants the customer one review per distinct product of the delivered order, once even when the delivery comes again', async () => {
    const { unitOfWork, reviews } = inMemoryReviews();
    const handler = new GrantReviewsHandler(reviews);
    const [kettle, mug] = [randomUUID(), randomUUID()];
    const delivered: OrderDeliveredV1 = { orderId: randomUUID(), customerId: 'ada', productIds: [kettle, mug, kettle] };
    await unitOfWork.run(async (tx) => handler.execute(tx, delivered));
    // republished under a new event id: the inbox does not know it, the grants do
    await unitOfWork.run(async (tx) => handler.execute(tx, delivered));
    expect([...reviews.grants.values()]).toEqual([
      { orderId: delivered.orderId, customerId: 'ada', productId: kettle },
      { orderId: delivered.orderId, customerId: 'ada', productId: mug },
    ]);
    expect(unitOfWork.published).toEqual([]);
  });
});
