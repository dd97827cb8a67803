import { Injectable } from '@nestjs/common';
import { ProductRepository, ReservationRepository, StockReservationEntity } from '@shop/catalog/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderCancelledV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../../catalog.mapper';

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
      // reservation holding nothing makes that late request change nothing.
      this.reservations.add(tx, StockReservationEntity.releasedBeforeDecided(orderId));
      return;
    }
    if (!reservation.holdsStock) return; // nothing held: rejected or released already
    const products = await this.products.lockMany(tx, reservation.productIds);
    reservation.release(products);
    for (const product of products.values()) this.products.save(tx, product);
    this.reservations.save(tx, reservation);
    tx.publish(...toOutboundEvents(reservation, reservation.pullEvents()));
  }
}
