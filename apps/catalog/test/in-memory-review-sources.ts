import { decodeChangeCursor, encodeChangeCursor, ReviewExportItem, ReviewExportPage, reviewExportPageSchema } from '@shop/shared/contracts';
import { ReviewExport } from '../src/ratings/rebuild-ratings/review-export';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The review service's export in memory, paged as it pages it: reviews in the
 * order they were written, a cursor past the last row of a page,
 * `updatedSince` keeping the reviews written at or after it. Every page is
 * held to the contract's schema. `during(page)` runs before page n (from 1) is
 * answered: to move the clock, or fail as an unreachable review service does.
 */
export class InMemoryReviewExport extends ReviewExport {
  readonly rows: ReviewExportItem[] = [];
  pages = 0;
  during?: (page: number) => void | Promise<void>;

  constructor() {
    super({
      owner: 'review',
      baseUrl: 'http://review.invalid',
      path: '/api/exports/reviews',
      schema: reviewExportPageSchema,
      token: () => Promise.reject(new Error('the in-memory export is never asked over HTTP')),
    });
  }

  override async page(query: { updatedSince?: string; cursor?: string; limit: number }): Promise<ReviewExportPage> {
    this.pages++;
    await this.during?.(this.pages);
    const after = query.cursor ? decodeChangeCursor(query.cursor) : 0n;
    if (after === null) throw new Error(`not a cursor of this export: ${query.cursor}`);
    const since = query.updatedSince ? Date.parse(query.updatedSince) : -Infinity;
    const rows = this.rows.map((item, i) => ({ seq: i + 1, item })).filter((r) => BigInt(r.seq) > after && Date.parse(r.item.changedAt) >= since);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return reviewExportPageSchema.parse({ items: page.map((r) => copy(r.item)), nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.seq) : null });
  }
}
