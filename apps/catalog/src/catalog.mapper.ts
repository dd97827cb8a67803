import type { CategoryCount, ProductChange, ProductReadModel } from '@shop/catalog/data-access';
import { ProductEntity, ProductEvent, StockReservationEntity, StockReservationEvent } from '@shop/catalog/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import type { CategoryView, PictureView, ProductExportItem, ProductView } from '@shop/shared/contracts';

/**
 * Which versions of `catalog.product-upserted` are published: v2 (with category and picture) on
 * `catalog.products.v2` always, and v1 on `catalog.products.v1` while its compatibility window is open
 * (`PRODUCT_UPSERTED_V1=publish`, the default; docs/messaging.md, "Changing an event"). Both are written in the
 * unit of the change, so a consumer of either version sees every change.
 */
export class CatalogEventOptions {
  constructor(readonly publishProductUpsertedV1: boolean) {}
}

/** The product's picture route with its etag, or null when it has none. */
export function pictureOf(id: string, etag: string | null): PictureView | null {
  return etag ? { url: `/api/products/${id}/picture`, etag } : null;
}

/** The picture as events and the export carry it: its path and etag. */
function pictureRefOf(id: string, etag: string | null): { path: string; etag: string } | null {
  const picture = pictureOf(id, etag);
  return picture && { path: picture.url, etag: picture.etag };
}

export function toProductView(p: ProductReadModel): ProductView {
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

export function toCategoryView(c: CategoryCount): CategoryView {
  return { name: c.name, productCount: c.productCount };
}

/** A product as the export carries it: the fields of `catalog.product-upserted` v2 with the time it changed. */
export function toExportItem(p: ProductChange): ProductExportItem {
  return {
    productId: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    productVersion: p.version,
    category: p.category,
    picture: pictureRefOf(p.id, p.pictureEtag),
    changedAt: p.changedAt.toISOString(),
  };
}

/**
 * The integration events for what a catalog aggregate recorded, at the version each event gave it. A product's
 * events are each announced as the product others may copy (`catalog.product-upserted`, in the versions the
 * options publish); a reservation's are keyed by its order.
 */
export function toOutboundEvents(product: ProductEntity, events: ProductEvent[], options: CatalogEventOptions): OutboundEvent[];
export function toOutboundEvents(reservation: StockReservationEntity, events: StockReservationEvent[]): OutboundEvent[];
export function toOutboundEvents(
  aggregate: ProductEntity | StockReservationEntity,
  events: ProductEvent[] | StockReservationEvent[],
  options?: CatalogEventOptions,
): OutboundEvent[] {
  if (aggregate instanceof ProductEntity) {
    if (!options) throw new Error('a product is announced in the versions CatalogEventOptions names');
    return (events as ProductEvent[]).flatMap((e) => productUpserted(aggregate, e, options));
  }
  return (events as StockReservationEvent[]).map((e) => reservationEvent(aggregate, e));
}

/** Created, updated or a new picture: what others copy of the product is the same event, at the event's version. */
function productUpserted(product: ProductEntity, event: ProductEvent, options: CatalogEventOptions): Array<OutboundEvent<'catalog.product-upserted'>> {
  const p = product.snapshot;
  const v1 = {
    productId: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    productVersion: event.version,
  };
  const v2 = { ...v1, category: p.category, picture: pictureRefOf(p.id, p.pictureEtag) };
  const base = { type: 'catalog.product-upserted' as const, aggregateId: p.id, aggregateVersion: event.version };
  return [...(options.publishProductUpsertedV1 ? [{ ...base, data: v1 }] : []), { ...base, version: 2, data: v2 }];
}

function reservationEvent(reservation: StockReservationEntity, event: StockReservationEvent): OutboundEvent {
  const { orderId } = reservation.snapshot;
  const base = { aggregateId: orderId, aggregateVersion: event.version };
  switch (event.type) {
    case 'reserved':
      return { ...base, type: 'catalog.stock-reserved', data: { orderId, items: event.items } };
    case 'rejected':
      return { ...base, type: 'catalog.stock-rejected', data: { orderId, reason: event.reason, productIds: event.productIds } };
    case 'released':
      return { ...base, type: 'catalog.stock-released', data: { orderId, items: event.items } };
  }
}
