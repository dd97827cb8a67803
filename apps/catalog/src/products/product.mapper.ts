import type { ProductView } from '@shop/shared/contracts';
import type { ProductRecord } from '@shop/catalog/data-access';
import { ProductEntity } from '@shop/catalog/domain';
import type { OutboundEvent } from '@shop/platform/messaging';

export function toProductView(p: ProductRecord): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    stock: p.stock,
    rating: { average: p.ratingCount ? Math.round((p.ratingSum / p.ratingCount) * 100) / 100 : null, count: p.ratingCount },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toEntity(p: ProductRecord): ProductEntity {
  return ProductEntity.restore({
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    stock: p.stock,
    version: p.version,
  });
}

/** What other services may copy of a product (the order service's snapshot). */
export function productUpserted(product: ProductEntity): OutboundEvent<'catalog.product-upserted'> {
  const p = product.snapshot;
  return {
    type: 'catalog.product-upserted',
    aggregateId: p.id,
    aggregateVersion: p.version,
    data: {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      priceCents: p.priceCents,
      currency: p.currency,
      productVersion: p.version,
    },
  };
}
