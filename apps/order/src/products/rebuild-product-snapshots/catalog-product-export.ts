import { OwnerExportClient } from '@shop/platform/http';
import type { ProductExportItem } from '@shop/shared/contracts';

/** The catalog's product export (`GET /api/exports/products` on the catalog), read with the order service's own token. */
export class CatalogProductExport extends OwnerExportClient<ProductExportItem> {}
