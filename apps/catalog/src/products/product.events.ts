import type { ProductEntity } from '@shop/catalog/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import { pictureOf } from './product.mapper';

/**
 * What other services may copy of a product: `catalog.product-upserted` v2 (with category and picture) on
 * `catalog.products.v2`, and v1 on `catalog.products.v1` for as long as its compatibility window is open
 * (`PRODUCT_UPSERTED_V1=publish`, the default; docs/messaging.md, "Changing an event"). Both are written in
 * the unit of the change, so a consumer of either version sees every change.
 */
export class ProductEvents {
  constructor(private readonly options: { publishV1: boolean }) {}

  upserted(product: ProductEntity): Array<OutboundEvent<'catalog.product-upserted'>> {
    const p = product.snapshot;
    const v1 = {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      priceCents: p.priceCents,
      currency: p.currency,
      productVersion: p.version,
    };
    const picture = pictureOf(p.id, p.pictureEtag);
    const v2 = { ...v1, category: p.category, picture: picture && { path: picture.url, etag: picture.etag } };
    const event = { type: 'catalog.product-upserted' as const, aggregateId: p.id, aggregateVersion: p.version };
    return [...(this.options.publishV1 ? [{ ...event, data: v1 }] : []), { ...event, version: 2, data: v2 }];
  }
}
