import { Injectable } from '@nestjs/common';
import type { CancelReason, OrderProps, OrderStatus, ShippingAddress } from '@shop/order/domain';
import { IdempotencyClaim, IdempotencyKeyRepository, OrderEntity, OrderRepository, ProductSnapshot, ProductSnapshotRepository } from '@shop/order/domain';
import { Database, statement, type Tx } from '@shop/platform/database';

interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  cancel_reason: CancelReason | null;
  total_cents: string;
  currency: string;
  shipping_address: ShippingAddress;
  payment_token: string | null;
  cancel_requested_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  items: Array<{ productId: string; name: string; unitPriceCents: number; quantity: number }>;
  history: Array<{ status: OrderStatus; at: string; note: string | null }>;
}

/**
 * The order, its items and its history in one round trip, locked. Columns by
 * name: a prepared `select *` fails once a deploy adds a column ("cached plan
 * must not change result type") on every instance still running.
 */
const LOCK = statement(`
  select o.id, o.customer_id, o.status, o.cancel_reason, o.total_cents, o.currency, o.shipping_address, o.payment_token,
    o.cancel_requested_at, o.version, o.created_at, o.updated_at,
    (select coalesce(json_agg(json_build_object('productId', i.product_id, 'name', i.name, 'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity)
                     order by i.product_id), '[]') from order_items i where i.order_id = o.id) as items,
    (select coalesce(json_agg(json_build_object('status', h.status, 'at', h.at, 'note', h.note) order by h.id), '[]') from order_status_history h where h.order_id = o.id) as history
  from orders o where o.id = $1 for update of o`);

const INSERT_ORDER = `insert into orders (id, customer_id, status, cancel_reason, total_cents, currency, shipping_address, payment_token, version, created_at, updated_at)
  values ($1, $2, $3::"OrderStatus", $4::"CancelReason", $5, $6, $7::jsonb, $8, $9, $10, $11)`;
const INSERT_ITEMS = `insert into order_items (order_id, product_id, name, unit_price_cents, quantity)
  select $1, * from unnest($2::uuid[], $3::text[], $4::int[], $5::int[])`;
const INSERT_HISTORY = `insert into order_status_history (order_id, status, at, note) select $1, * from unnest($2::"OrderStatus"[], $3::timestamptz[], $4::text[])`;
const UPDATE_ORDER = `update orders set status = $2::"OrderStatus", cancel_reason = $3::"CancelReason", payment_token = $4, version = $5, updated_at = $6,
  cancel_requested_at = $8 where id = $1 and version = $7`;

function toProps(row: OrderRow): OrderProps {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    cancelReason: row.cancel_reason,
    items: row.items,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    shippingAddress: row.shipping_address,
    paymentToken: row.payment_token,
    cancelRequestedAt: row.cancel_requested_at,
    history: row.history.map((h) => ({ status: h.status, at: new Date(h.at), ...(h.note ? { note: h.note } : {}) })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Orders on the service's own SQL (the hot path), inside the use case's unit of work. */
@Injectable()
export class PgOrderRepository extends OrderRepository<Tx> {
  async lock(tx: Tx, id: string): Promise<OrderEntity | null> {
    const [row] = await tx.query<OrderRow>(LOCK, [id]);
    return row ? OrderEntity.restore(toProps(row)) : null;
  }

  add(tx: Tx, order: OrderEntity): void {
    const o = order.snapshot;
    tx.write({
      sql: INSERT_ORDER,
      values: [o.id, o.customerId, o.status, o.cancelReason, o.totalCents, o.currency, JSON.stringify(o.shippingAddress), o.paymentToken, o.version, o.createdAt, o.updatedAt],
    });
    tx.write({
      sql: INSERT_ITEMS,
      values: [o.id, o.items.map((i) => i.productId), o.items.map((i) => i.name), o.items.map((i) => i.unitPriceCents), o.items.map((i) => i.quantity)],
    });
    this.addHistory(tx, order);
  }

  save(tx: Tx, order: OrderEntity): void {
    const o = order.snapshot;
    const loadedAt = order.stored?.version;
    tx.write({
      sql: UPDATE_ORDER,
      values: [o.id, o.status, o.cancelReason, o.paymentToken, o.version, o.updatedAt, loadedAt, o.cancelRequestedAt],
      key: `order:${o.id}`,
      expect: (n) => {
        if (n !== 1) throw new Error(`order ${o.id} changed concurrently (expected version ${loadedAt})`);
      },
    });
    this.addHistory(tx, order);
  }

  private addHistory(tx: Tx, order: OrderEntity): void {
    const added = order.unsavedHistory;
    if (added.length === 0) return;
    tx.write({ sql: INSERT_HISTORY, values: [order.snapshot.id, added.map((h) => h.status), added.map((h) => h.at), added.map((h) => h.note ?? null)] });
  }
}

const FIND_SNAPSHOTS = statement(
  `select product_id as "productId", sku, name, price_cents as "priceCents", currency, product_version as "productVersion"
     from product_snapshots where product_id = any($1::uuid[])`,
);
const UPSERT_SNAPSHOT = `insert into product_snapshots (product_id, sku, name, price_cents, currency, product_version, updated_at)
  values ($1, $2, $3, $4, $5, $6, now())
  on conflict (product_id) do update set sku = excluded.sku, name = excluded.name, price_cents = excluded.price_cents,
    currency = excluded.currency, product_version = excluded.product_version, updated_at = now()
  where product_snapshots.product_version < excluded.product_version`;

@Injectable()
export class PgProductSnapshotRepository extends ProductSnapshotRepository<Tx> {
  constructor(private readonly db: Database) {
    super();
  }

  async findMany(ids: string[]): Promise<Map<string, ProductSnapshot>> {
    const rows = await this.db.query<ProductSnapshot>(FIND_SNAPSHOTS, [ids]);
    return new Map(rows.map((r) => [r.productId, r]));
  }

  upsert(tx: Tx, p: ProductSnapshot, stored?: (changed: boolean) => void): void {
    tx.write({
      sql: UPSERT_SNAPSHOT,
      values: [p.productId, p.sku, p.name, p.priceCents, p.currency, p.productVersion],
      key: `product:${p.productId}`,
      expect: stored && ((n) => stored(n > 0)),
    });
  }
}

const CLAIM_KEY = statement(
  `with claimed as (
     insert into idempotency_keys (customer_id, key, request_hash, order_id) values ($1, $2, $3, $4)
     on conflict do nothing returning order_id::text, request_hash)
   select true as claimed, order_id, request_hash from claimed
   union all
   select false, order_id::text, request_hash from idempotency_keys where customer_id = $1 and key = $2 and not exists (select 1 from claimed)`,
);

@Injectable()
export class PgIdempotencyKeyRepository extends IdempotencyKeyRepository<Tx> {
  async claim(tx: Tx, k: { customerId: string; key: string; requestHash: string; orderId: string }): Promise<IdempotencyClaim> {
    // A request with the same key that committed while this one waited is not in this statement's snapshot: ask again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const [row] = await tx.query<{ claimed: boolean; order_id: string; request_hash: string }>(CLAIM_KEY, [k.customerId, k.key, k.requestHash, k.orderId]);
      if (row) return { claimed: row.claimed, orderId: row.order_id, requestHash: row.request_hash };
    }
    throw new Error(`idempotency key ${k.key} of ${k.customerId} is neither claimable nor found`);
  }
}
