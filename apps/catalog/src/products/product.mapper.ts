import type { PictureView, ProductView } from '@shop/shared/contracts';
import type { ProductRecord } from '@shop/catalog/data-access';
import { ProductEntity } from '@shop/catalog/domain';

/** The product's picture route with its etag, or null when it has none. */
export function pictureOf(id: string, etag: string | null): PictureView | null {
  return etag ? { url: `/api/products/${id}/picture`, etag } : null;
}

export function toProductView(p: Omit<ProductRecord, 'search'>): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    stock: p.stock,
    category: p.category,
    picture: pictureOf(p.id, p.pictureEtag),
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
    category: p.category,
    pictureEtag: p.pictureEtag,
  });
}
