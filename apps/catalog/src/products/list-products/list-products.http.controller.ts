import { Controller, Get, Query } from '@nestjs/common';
import { CatalogQueries } from '@shop/catalog/data-access';
import { cursorPosition, keysetPage, ProblemException, Public, ZodValidationPipe } from '@shop/platform/http';
import { decodeRankedCursor, encodeRankedCursor, Page, ProductListQuery, productListQuerySchema, ProductView } from '@shop/shared/contracts';
import { toProductView } from '../../catalog.mapper';

/**
 * Newest first, or with `q` a full-text search ranked by relevance (then newest first); filtered by category
 * and price range; keyset-paginated either way (a search's cursor carries the rank too).
 */
@Public()
@Controller('api/products')
export class ListProductsHttpController {
  constructor(private readonly queries: CatalogQueries) {}

  @Get()
  async list(@Query(new ZodValidationPipe(productListQuerySchema, 'query')) query: ProductListQuery): Promise<Page<ProductView>> {
    const q = query.q?.trim() || undefined;
    const after = query.cursor ? (q ? rankedPosition(query.cursor) : cursorPosition(query.cursor)) : undefined;
    const rows = await this.queries.search({ ...query, q, after });
    if (!q) return keysetPage(rows, query.limit, toProductView);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toProductView),
      nextCursor: rows.length > query.limit && last ? encodeRankedCursor(last.rank ?? 0, last.createdAt, last.id) : null,
    };
  }
}

/** The position in a search's `?cursor=`; a cursor this API did not hand out for a search is a 400, as a plain list's is. */
function rankedPosition(cursor: string): { rank: number; createdAt: Date; id: string } {
  const position = decodeRankedCursor(cursor);
  if (!position) throw new ProblemException(400, 'the cursor is not valid', { errors: [{ path: 'cursor', message: 'not a search cursor from this API' }] });
  return position;
}
