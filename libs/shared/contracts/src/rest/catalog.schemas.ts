import { z } from 'zod';
import { money } from '../events/envelope';

const text = (max: number) => z.string().trim().min(1).max(max);

export const createProductSchema = z
  .object({
    sku: text(64),
    name: text(200),
    description: z.string().max(5_000).optional(),
    priceCents: money.cents,
    currency: money.currency,
    stock: z.number().int().min(0).max(1_000_000_000),
  })
  .strict();
export type CreateProductRequest = z.infer<typeof createProductSchema>;

export const updateProductSchema = z
  .object({
    name: text(200),
    description: z.string().max(5_000),
    priceCents: money.cents,
    stock: z.number().int().min(0).max(1_000_000_000),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one of name, description, priceCents, stock');
export type UpdateProductRequest = z.infer<typeof updateProductSchema>;

export const productListQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  rating: { average: number | null; count: number };
  createdAt: string;
  updatedAt: string;
}
