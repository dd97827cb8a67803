import { OwnerExportClient } from '@shop/platform/http';
import type { ReviewExportItem } from '@shop/shared/contracts';

/** The review service's export (`GET /api/exports/reviews` on it), read with the catalog's own token. */
export class ReviewExport extends OwnerExportClient<ReviewExportItem> {}
