import { Injectable } from '@nestjs/common';
import { ProductRepository, ReservationRepository, StockReservationEntity } from '@shop/catalog/domain';
import type { UnitTx } from '@shop/platform/messaging';
import type { OrderPlacedV1 } from '@shop/shared/contracts';
import { toOutboundEvents } from '../../catalog.mapper';

/**
 * Decides a placed order in its unit of work: the products are locked in id
 * order (no deadlock between two orders), the reservation takes every item or
 * none (StockReservationEntity.decide), and stock is written only when it took
 * them, so a shortfall anywhere rejects the whole order with nothing taken.
 */
@Injectable()
export class ReserveStockHandler {
  constructor(
    private readonly products: ProductRepository<UnitTx>,
    private readonly reservations: ReservationRepository<UnitTx>,
  ) {}

  async execute(tx: UnitTx, order: OrderPlacedV1): Promise<void> {
    const { orderId, items } = order;
    if (await this.reservations.lock(tx, orderId)) return; // decided already (a republished order), or released before it came
    const products = await this.products.lockMany(
      tx,
      items.map((i) => i.productId),
    );
    const reservation = StockReservationEntity.decide(orderId, items, products);
    if (reservation.holdsStock) for (const product of products.values()) this.products.save(tx, product);
    this.reservations.add(tx, reservation);
    tx.publish(...toOutboundEvents(reservation, reservation.pullEvents()));
  }
}
