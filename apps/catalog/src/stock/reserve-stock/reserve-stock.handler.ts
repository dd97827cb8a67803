import { Injectable } from '@nestjs/common';
import { CatalogError, ProductRepository, ReservationRepository } from '@shop/catalog/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderPlacedV1 } from '@shop/shared/contracts';

/**
 * Reserves every item of a placed order in its unit of work, or none: the
 * products are locked in id order (no deadlock between two orders), each
 * reservation is checked by the domain, and stock is written only when every
 * item fits, so a shortfall anywhere rejects the whole order with nothing taken.
 */
@Injectable()
export class ReserveStockHandler {
  constructor(
    private readonly products: ProductRepository<UnitTx>,
    private readonly reservations: ReservationRepository<UnitTx>,
  ) {}

  async execute(tx: UnitTx, order: OrderPlacedV1): Promise<void> {
    const { orderId, items } = order;
    // What the reservation holds and announces: product and quantity (the release gives back exactly these).
    const asked = items.map(({ productId, quantity }) => ({ productId, quantity }));
    if (await this.reservations.lock(tx, orderId)) return; // decided already (a republished order), or released before it came
    const products = await this.products.lockMany(
      tx,
      items.map((i) => i.productId),
    );
    const unknown = [...new Set(items.map((i) => i.productId))].filter((id) => !products.has(id));
    const short: string[] = [];
    if (unknown.length === 0) {
      for (const item of items) {
        try {
          products.get(item.productId)?.reserve(item.quantity);
        } catch (err) {
          if (err instanceof CatalogError && err.code === 'INSUFFICIENT_STOCK') short.push(item.productId);
          else throw err;
        }
      }
    }
    if (unknown.length || short.length) {
      this.reservations.add(tx, { orderId, status: 'REJECTED', items: asked });
      const reason = unknown.length ? 'UNKNOWN_PRODUCT' : 'OUT_OF_STOCK';
      tx.publish({ type: 'catalog.stock-rejected', aggregateId: orderId, aggregateVersion: 1, data: { orderId, reason, productIds: unknown.length ? unknown : short } });
      return;
    }
    for (const product of products.values()) this.products.save(tx, product);
    this.reservations.add(tx, { orderId, status: 'RESERVED', items: asked });
    tx.publish({ type: 'catalog.stock-reserved', aggregateId: orderId, aggregateVersion: 1, data: { orderId, items: asked } });
  }
}
