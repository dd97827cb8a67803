import { Injectable } from '@nestjs/common';
import { CatalogPrismaService, CatalogTx } from '@shop/catalog/data-access';
import { CatalogError } from '@shop/catalog/domain';
import { Outbox, processOnce } from '@shop/platform/messaging';
import type { Envelope, OrderPlacedV1 } from '@shop/shared/contracts';
import { toEntity } from '../../products/product.mapper';

export const CATALOG_GROUP = 'catalog';

/**
 * Reserves every item of a placed order in one transaction, or none: the
 * products are locked in id order (no deadlock between two orders), each
 * reservation is checked by the domain, and stock is written only when every
 * item fits, so a shortfall anywhere rejects the whole order with nothing taken.
 */
@Injectable()
export class ReserveStockHandler {
  constructor(
    private readonly db: CatalogPrismaService,
    private readonly outbox: Outbox,
  ) {}

  async execute(event: Envelope<OrderPlacedV1>, group = CATALOG_GROUP): Promise<void> {
    const { orderId, items } = event.data;
    await processOnce(this.db, group, event, async (tx) => {
      if (await tx.stockReservation.findUnique({ where: { orderId } })) return; // decided already (republished order)
      const outcome = await this.tryReserve(tx, items);
      if (outcome.ok) {
        await tx.stockReservation.create({ data: { orderId, status: 'RESERVED', items } });
        await this.outbox.append(tx, [
          { type: 'catalog.stock-reserved', aggregateId: orderId, aggregateVersion: 1, data: { orderId, items: items.map(({ productId, quantity }) => ({ productId, quantity })) } },
        ]);
        return;
      }
      await tx.stockReservation.create({ data: { orderId, status: 'REJECTED', items } });
      await this.outbox.append(tx, [
        { type: 'catalog.stock-rejected', aggregateId: orderId, aggregateVersion: 1, data: { orderId, reason: outcome.reason, productIds: outcome.productIds } },
      ]);
    });
  }

  private async tryReserve(
    tx: CatalogTx,
    items: OrderPlacedV1['items'],
  ): Promise<{ ok: true } | { ok: false; reason: 'OUT_OF_STOCK' | 'UNKNOWN_PRODUCT'; productIds: string[] }> {
    const ids = [...new Set(items.map((i) => i.productId))].sort();
    await tx.$queryRawUnsafe(`select id from products where id = any($1::uuid[]) order by id for update`, ids);
    const products = new Map((await tx.product.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, toEntity(p)]));
    const unknown = ids.filter((id) => !products.has(id));
    if (unknown.length) return { ok: false, reason: 'UNKNOWN_PRODUCT', productIds: unknown };
    const short: string[] = [];
    for (const item of items) {
      const product = products.get(item.productId);
      if (!product) continue;
      try {
        product.reserve(item.quantity);
      } catch (err) {
        if (err instanceof CatalogError && err.code === 'INSUFFICIENT_STOCK') short.push(item.productId);
        else throw err;
      }
    }
    if (short.length) return { ok: false, reason: 'OUT_OF_STOCK', productIds: short };
    for (const product of products.values()) {
      const { id, stock, version } = product.snapshot;
      await tx.product.update({ where: { id }, data: { stock, version } });
    }
    return { ok: true };
  }
}
