import type { ProductReadModel } from './catalog.read-models';

/**
 * The product list's SQL: newest first, or, with a search text, a full-text search ranked by relevance (then
 * newest first), over the generated, GIN-indexed `search` column (see the migration). Either can be filtered by
 * category and price range, and is keyset-paginated: `after` is the last row of the previous page.
 */
export interface ProductSearch {
  q?: string;
  category?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  limit: number;
  after?: { rank?: number; createdAt: Date; id: string };
}

/** A list row: the product as the read routes show it, and its place in the list. */
export interface ProductListRow extends ProductReadModel {
  changeSeq: bigint;
  changedAt: Date;
  /** Only for a search: its relevance (ts_rank), part of the position a page resumes from. */
  rank?: number;
}

const COLUMNS = `p.id, p.sku, p.name, p.description, p.price_cents as "priceCents", p.currency, p.stock, p.version, p.category,
  p.picture_etag as "pictureEtag", p.rating_count as "ratingCount", p.rating_sum as "ratingSum", p.created_at as "createdAt",
  p.updated_at as "updatedAt", p.change_seq as "changeSeq", p.changed_at as "changedAt"`;

/**
 * Names and SKUs are indexed as written ('simple'), descriptions stemmed ('english'): the query is taken both
 * ways, so `kettles` finds a description's "kettle" and `KET-01` a SKU. websearch_to_tsquery never fails on
 * user input (quotes, `or`, `-word`).
 */
const QUERY = `(select websearch_to_tsquery('simple', $1) || websearch_to_tsquery('english', $1) as query) search_query`;

export function productSearchSql(search: ProductSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const q = search.q?.trim();
  const where: string[] = [];
  let rank = '';
  let from = 'products p';
  if (q) {
    param(q);
    from += `, ${QUERY}`;
    where.push('p.search @@ query');
    rank = 'ts_rank(p.search, query)';
  }
  if (search.category !== undefined) where.push(`p.category = ${param(search.category)}`);
  if (search.minPriceCents !== undefined) where.push(`p.price_cents >= ${param(search.minPriceCents)}`);
  if (search.maxPriceCents !== undefined) where.push(`p.price_cents <= ${param(search.maxPriceCents)}`);
  if (search.after) {
    const { rank: afterRank, createdAt, id } = search.after;
    where.push(
      rank
        ? `(${rank}, p.created_at, p.id) < (${param(afterRank ?? 0)}::real, ${param(createdAt)}::timestamptz, ${param(id)}::uuid)`
        : `(p.created_at, p.id) < (${param(createdAt)}::timestamptz, ${param(id)}::uuid)`,
    );
  }
  const text = `select ${COLUMNS}${rank ? `, ${rank} as rank` : ''} from ${from}
    ${where.length ? `where ${where.join(' and ')}` : ''}
    order by ${rank ? `${rank} desc, ` : ''}p.created_at desc, p.id desc limit ${param(search.limit + 1)}`;
  return { text, values };
}

