import { decodeChangeCursor, encodeChangeCursor, ProductExportItem, ProductExportPage, productExportPageSchema } from '@shop/shared/contracts';
import { CatalogProductExport } from '../src/products/rebuild-product-snapshots/catalog-product-export';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The catalog's export in memory, paged as the catalog pages it: rows in
 * change order, a changed product moving behind the others with its new
 * version, a cursor past the last row of a page, `updatedSince` keeping the
 * rows changed at or after it. Every page is held to the contract's schema.
 * `during(page)` runs before page n (from 1) is answered: to move the clock,
 * change a product, or fail as an unreachable catalog does.
 */
export class InMemoryCatalogProductExport extends CatalogProductExport {
  pages = 0;
  during?: (page: number) => void | Promise<void>;
  private readonly changes: Array<{ seq: number; item: ProductExportItem }> = [];
  private seq = 0;

  constructor() {
    super({
      owner: 'catalog',
      baseUrl: 'http://catalog.invalid',
      path: '/api/exports/products',
      schema: productExportPageSchema,
      token: () => Promise.reject(new Error('the in-memory export is never asked over HTTP')),
    });
  }

  /** The product as the catalog now has it: it goes to the end of the change order. */
  change(item: ProductExportItem): void {
    const at = this.changes.findIndex((c) => c.item.productId === item.productId);
    if (at >= 0) this.changes.splice(at, 1);
    this.changes.push({ seq: ++this.seq, item: copy(item) });
  }

  override async page(query: { updatedSince?: string; cursor?: string; limit: number }): Promise<ProductExportPage> {
    this.pages++;
    await this.during?.(this.pages);
    const after = query.cursor ? decodeChangeCursor(query.cursor) : 0n;
    if (after === null) throw new Error(`not a cursor of this export: ${query.cursor}`);
    const since = query.updatedSince ? Date.parse(query.updatedSince) : -Infinity;
    const rows = this.changes.filter((c) => BigInt(c.seq) > after && Date.parse(c.item.changedAt) >= since);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return productExportPageSchema.parse({ items: page.map((c) => copy(c.item)), nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.seq) : null });
  }
}
