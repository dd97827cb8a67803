import { z } from 'zod';
import { money } from '../events/envelope';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A category: lower-case words joined by single hyphens (`kitchen`, `garden-tools`). */
export const category = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens, such as garden-tools');

export const createProductSchema = z
  .object({
    sku: text(64),
    name: text(200),
    description: z.string().max(5_000).optional(),
    priceCents: money.cents,
    currency: money.currency,
    stock: z.number().int().min(0).max(1_000_000_000),
    category: category.optional(),
  })
  .strict();
export type CreateProductRequest = z.infer<typeof createProductSchema>;

export const updateProductSchema = z
  .object({
    name: text(200),
    description: z.string().max(5_000),
    priceCents: money.cents,
    stock: z.number().int().min(0).max(1_000_000_000),
    /** null takes the product out of its category. */
    category: category.nullable(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one of name, description, priceCents, stock, category');
export type UpdateProductRequest = z.infer<typeof updateProductSchema>;

/**
 * `GET /api/products`: newest first; with `q`, a full-text search ranked by relevance (then newest first).
 * `category`, `minPriceCents` and `maxPriceCents` filter either; `nextCursor` pages both.
 */
export const productListQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    category: category.optional(),
    minPriceCents: z.coerce.number().pipe(money.cents).optional(),
    maxPriceCents: z.coerce.number().pipe(money.cents).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine((v) => v.minPriceCents === undefined || v.maxPriceCents === undefined || v.minPriceCents <= v.maxPriceCents, {
    message: 'minPriceCents must not be above maxPriceCents',
    path: ['minPriceCents'],
  });
export type ProductListQuery = z.infer<typeof productListQuerySchema>;

/** `GET /api/categories`: every category in use, with how many products it holds. */
export interface CategoryView {
  name: string;
  productCount: number;
}

/** A product's picture: where to fetch it (`GET /api/products/:id/picture`) and its version, the bytes' sha256. */
export interface PictureView {
  url: string;
  etag: string;
}

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: string | null;
  /** null: the product has no picture (the storefront shows a placeholder). */
  picture: PictureView | null;
  rating: { average: number | null; count: number };
  createdAt: string;
  updatedAt: string;
}
