import { z } from 'zod';

export const reviewCreatedV1 = z.object({
  reviewId: z.uuid(),
  productId: z.uuid(),
  orderId: z.uuid(),
  customerId: z.string(),
  rating: z.number().int().min(1).max(5),
});
export type ReviewCreatedV1 = z.infer<typeof reviewCreatedV1>;
