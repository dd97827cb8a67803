import { z } from 'zod';
import { productUpsertedV1, productUpsertedV2 } from '../events/catalog.events';
import { reviewCreatedV1 } from '../events/review.events';
import { instant } from './common.schemas';

/**
 * Full and changed-since exports of what a service owns, for the read models
 * other services keep (an import that needs no broker). Pages follow the
 * owner's change sequence, which grows in commit order: a row changed while an
 * export runs moves behind the cursor and comes once more with its new
 * version; an unchanged row comes once.
 */
const CURSOR_PREFIX = 'c1:';
const MAX_SEQ = 2n ** 63n - 1n;

/** The position after the last row of a page: its change sequence number. */
export function encodeChangeCursor(seq: bigint | number | string): string {
  return Buffer.from(`${CURSOR_PREFIX}${BigInt(seq).toString()}`).toString('base64url');
}

/** The change sequence number in a cursor this export handed out; null for anything else. */
export function decodeChangeCursor(cursor: string): bigint | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^c1:(0|[1-9][0-9]{0,18})$/.exec(text);
  if (!match) return null;
  const seq = BigInt(match[1]);
  return seq <= MAX_SEQ ? seq : null;
}

const changeCursor = z
  .string()
  .max(64)
  .refine((c) => decodeChangeCursor(c) !== null, 'not a cursor from this export');

/** `?updatedSince=&limit=&cursor=`: keep `updatedSince` the same on every page of one export. */
export const exportQuerySchema = z
  .object({
    /** Only rows changed at or after this time (a partial import); none: everything (a full import). */
    updatedSince: instant.optional(),
    limit: z.coerce.number().int().min(1).max(1_000).default(500),
    cursor: changeCursor.optional(),
  })
  .strict();
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/**
 * A product as `catalog.product-upserted` carries it, with the time of its last change: v1's fields, and v2's
 * category and picture (optional here, so an importer also reads an export from a catalog that predates them).
 */
export const productExportItemSchema = productUpsertedV1.extend({
  category: productUpsertedV2.shape.category.optional(),
  picture: productUpsertedV2.shape.picture.optional(),
  changedAt: z.iso.datetime({ offset: true }),
});
export type ProductExportItem = z.infer<typeof productExportItemSchema>;
export const productExportPageSchema = z.object({ items: z.array(productExportItemSchema), nextCursor: z.string().nullable() });
export type ProductExportPage = z.infer<typeof productExportPageSchema>;

/** A review as `review.created` carries it, with the time it was recorded. */
export const reviewExportItemSchema = reviewCreatedV1.extend({ changedAt: z.iso.datetime({ offset: true }) });
export type ReviewExportItem = z.infer<typeof reviewExportItemSchema>;
export const reviewExportPageSchema = z.object({ items: z.array(reviewExportItemSchema), nextCursor: z.string().nullable() });
export type ReviewExportPage = z.infer<typeof reviewExportPageSchema>;

/**
 * `POST /admin/read-models/<model>/rebuild`: from the owner's topic (the
 * default), or from the owner's export API, in full or since a time. An API
 * import works for a bounded time per request and answers `nextCursor` while
 * there is more: send it back (with the same `since`) to go on.
 */
export const rebuildReadModelBodyShape = {
  source: z.enum(['topic', 'api']).default('topic'),
  since: instant.optional(),
  cursor: changeCursor.optional(),
};
export const rebuildReadModelBodySchema = z
  .object(rebuildReadModelBodyShape)
  .strict()
  .refine((b) => b.source === 'api' || (b.since === undefined && b.cursor === undefined), {
    message: 'since and cursor apply to an import from the owner’s API (source: api); a topic is always read from its beginning',
    path: ['source'],
  });
export type RebuildReadModelBody = z.infer<typeof rebuildReadModelBodySchema>;

/** What an import from the owner's API did in this request. */
export interface ApiImportResult {
  /** Rows read from the owner's export. */
  fetched: number;
  /** Read-model rows that were missing or older and changed. */
  updated: number;
  /** More to import: send it back as `cursor`; null when the export is done. */
  nextCursor: string | null;
}
