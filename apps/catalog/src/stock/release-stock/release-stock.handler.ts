import { Injectable } from '@nestjs/common';
import { CatalogPrismaService } from '@shop/catalog/data-access';
import { Outbox, processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderCancelledV1 } from '@shop/shared/contracts';
import { toEntity } from '../../products/product.mapper';
import { CATALOG_GROUP } from '../reserve-stock/reserve-stock.handler';

type Items = Array<{ productId: string; quantity: number }>;

/** A cancelled order gives back exactly what was reserved for it, once. */
@Injectable()
export class ReleaseStockHandler {
  constructor(
    private readonly db: CatalogPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(event: Envelope<OrderCancelledV1>, group = CATALOG_GROUP): Promise<void> {
    const { orderId } = event.data;
    await processOnce(this.db, group, event, async (tx) => {
      const locked = await tx.$queryRawUnsafe<Array<{ status: string; items: Items }>>(
        'select status, items from stock_reservations where order_id = $1::uuid for update',
        orderId,
      );
      const reservation = locked[0];
      if (!reservation) {
        // Cancelled before the order was reserved (its order.placed may sit in a retry tier): a released
        // tombstone makes that late request change nothing.
        await tx.stockReservation.create({ data: { orderId, status: 'RELEASED', items: [] } });
        return;
      }
      if (reservation.status !== 'RESERVED') return; // nothing held: rejected or released already
      const ids = [...new Set(reservation.items.map((i) => i.productId))].sort();
      await tx.$queryRawUnsafe('select id from products where id = any($1::uuid[]) order by id for update', ids);
      const products = new Map((await tx.product.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, toEntity(p)]));
      for (const item of reservation.items) products.get(item.productId)?.release(item.quantity);
      for (const product of products.values()) {
        const { id, stock, version } = product.snapshot;
        await tx.product.update({ where: { id }, data: { stock, version } });
      }
      await tx.stockReservation.update({ where: { orderId }, data: { status: 'RELEASED' } });
      await this.outbox.append(tx, [
        { type: 'catalog.stock-released', aggregateId: orderId, aggregateVersion: 2, data: { orderId, items: reservation.items } },
      ]);
    });
  }
}
