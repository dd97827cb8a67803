import { z } from 'zod';
import { money } from './envelope';

/** A product as others may copy it (order's snapshot). Sent on create and on every admin change; stock is not part of it. */
export const productUpsertedV1 = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: money.cents,
  currency: money.currency,
  productVersion: z.number().int().min(1),
});
export type ProductUpsertedV1 = z.infer<typeof productUpsertedV1>;

/** A product's picture as events carry it: where to fetch it and its version (the bytes' sha256). */
export const productPictureRef = z.object({
  path: z.string().regex(/^\/api\/products\/[0-9a-f-]{36}\/picture$/),
  etag: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * v2 of `catalog.product-upserted`: v1's fields plus the category and the picture (null when the product has
 * none). Published on its own topic beside v1 during the compatibility window (docs/messaging.md).
 */
export const productUpsertedV2 = productUpsertedV1.extend({
  category: z.string().nullable(),
  picture: productPictureRef.nullable(),
});
export type ProductUpsertedV2 = z.infer<typeof productUpsertedV2>;

const reservedItem = z.object({ productId: z.uuid(), quantity: z.number().int().min(1) });

/** Every item of the order was reserved, in one transaction. */
export const stockReservedV1 = z.object({ orderId: z.uuid(), items: z.array(reservedItem).min(1) });
export type StockReservedV1 = z.infer<typeof stockReservedV1>;

/** Nothing was reserved: at least one item lacked stock or is unknown. */
export const stockRejectedV1 = z.object({
  orderId: z.uuid(),
  reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']),
  productIds: z.array(z.uuid()),
});
export type StockRejectedV1 = z.infer<typeof stockRejectedV1>;

/** A reservation was given back (order cancelled). */
export const stockReleasedV1 = z.object({ orderId: z.uuid(), items: z.array(reservedItem) });
export type StockReleasedV1 = z.infer<typeof stockReleasedV1>;
