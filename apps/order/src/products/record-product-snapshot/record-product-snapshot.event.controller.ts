import { Controller, Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { OrderPrismaService, OrderTx } from '@shop/order/data-access';
import { processOnce } from '@shop/platform/messaging';
import type { Envelope, ProductUpsertedV1 } from '@shop/shared/contracts';
import { ORDER_GROUP } from '../../orders/follow-lifecycle/advance-order.handler';

/**
 * The order service's own copy of the products it sells (CQRS read model):
 * placing an order reads it, so ordering works while the catalog is down. A
 * version older than the stored one (a replay) changes nothing.
 */
@Injectable()
export class RecordProductSnapshotHandler {
  constructor(private readonly db: OrderPrismaService) {}

  async execute(event: Envelope<ProductUpsertedV1>, group = ORDER_GROUP): Promise<void> {
    await processOnce(this.db, group, event, (tx) => upsertSnapshot(tx, event.data).then(() => undefined));
  }
}

/** Stores a product version unless a newer one is there already; returns 1 when it changed the snapshot. */
export function upsertSnapshot(tx: OrderTx, p: ProductUpsertedV1): Promise<number> {
  return tx.$executeRawUnsafe(
    `insert into product_snapshots (product_id, sku, name, price_cents, currency, product_version, updated_at)
     values ($1::uuid, $2, $3, $4, $5, $6, now())
     on conflict (product_id) do update set sku = excluded.sku, name = excluded.name, price_cents = excluded.price_cents,
       currency = excluded.currency, product_version = excluded.product_version, updated_at = now()
     where product_snapshots.product_version < excluded.product_version`,
    p.productId,
    p.sku,
    p.name,
    p.priceCents,
    p.currency,
    p.productVersion,
  );
}

@Controller()
export class RecordProductSnapshotEventController {
  constructor(private readonly handler: RecordProductSnapshotHandler) {}

  @EventPattern('catalog.product-upserted')
  handle(@Payload() event: Envelope<ProductUpsertedV1>): Promise<void> {
    return this.handler.execute(event);
  }
}
