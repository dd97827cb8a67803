import { z } from 'zod';

export const createReviewSchema = z
  .object({
    orderId: z.uuid(),
    rating: z.number().int().min(1).max(5),
    comment: z.string().trim().max(2_000).optional(),
  })
  .strict();
export type CreateReviewRequest = z.infer<typeof createReviewSchema>;

export interface ReviewView {
  id: string;
  productId: string;
  orderId: string;
  customerId: string;
  rating: number;
  comment: string | null;
  createdAt: string;
}
