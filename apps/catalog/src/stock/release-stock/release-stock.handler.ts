import { Injectable } from '@nestjs/common';
import { ProductRepository, ReservationRepository } from '@shop/catalog/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderCancelledV1 } from '@shop/shared/contracts';

/** A cancelled order gives back exactly what was reserved for it, once. */
@Injectable()
export class ReleaseStockHandler {
  constructor(
    private readonly products: ProductRepository<UnitTx>,
    private readonly reservations: ReservationRepository<UnitTx>,
  ) {}

  async execute(tx: UnitTx, cancelled: OrderCancelledV1): Promise<void> {
    const { orderId } = cancelled;
    const reservation = await this.reservations.lock(tx, orderId);
    if (!reservation) {
      // Cancelled before the order was reserved (its order.placed may sit in a retry tier): a released
      // tombstone makes that late request change nothing.
      this.reservations.add(tx, { orderId, status: 'RELEASED', items: [] });
      return;
    }
    if (reservation.status !== 'RESERVED') return; // nothing held: rejected or released already
    const products = await this.products.lockMany(
      tx,
      reservation.items.map((i) => i.productId),
    );
    for (const item of reservation.items) products.get(item.productId)?.release(item.quantity);
    for (const product of products.values()) this.products.save(tx, product);
    this.reservations.save(tx, { ...reservation, status: 'RELEASED' });
    // Reservations made before they kept only product and quantity hold the order's prices too: not part of this event.
    const items = reservation.items.map(({ productId, quantity }) => ({ productId, quantity }));
    tx.publish({ type: 'catalog.stock-released', aggregateId: orderId, aggregateVersion: 2, data: { orderId, items } });
  }
}
