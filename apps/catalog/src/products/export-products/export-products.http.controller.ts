import { Controller, Get, Query } from '@nestjs/common';
import { CatalogQueries } from '@shop/catalog/data-access';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { decodeChangeCursor, encodeChangeCursor, ExportQuery, exportQuerySchema, ProductExportPage } from '@shop/shared/contracts';
import { toExportItem } from '../../catalog.mapper';

/**
 * Full and changed-since export of the products, for the order service's
 * snapshot import without the broker. Admin and service tokens only; served
 * by the catalog itself, not through the gateway.
 *
 * The fields of `catalog.product-upserted` with their version, in
 * change-sequence order (commit order, see the migration), changed at or
 * after `updatedSince` if given. A product changed during an export comes
 * again, later, at its new version; nothing committed behind the cursor can
 * appear there afterwards.
 */
@Roles('admin', 'service')
@Controller('api/exports/products')
export class ExportProductsHttpController {
  constructor(private readonly queries: CatalogQueries) {}

  @Get()
  async export(@Query(new ZodValidationPipe(exportQuerySchema, 'query')) query: ExportQuery): Promise<ProductExportPage> {
    const rows = await this.queries.changes({
      afterSeq: query.cursor ? decodeChangeCursor(query.cursor) : null,
      changedSince: query.updatedSince ? new Date(query.updatedSince) : undefined,
      limit: query.limit,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toExportItem), nextCursor: rows.length > query.limit && last ? encodeChangeCursor(last.changeSeq) : null };
  }
}
