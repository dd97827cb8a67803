import { Injectable } from '@nestjs/common';
import { DeliveryEntity, DeliveryRepository, DeliveryStatus, DueBefore, ShippingAddress } from '@shop/delivery/domain';
import { statement, type Tx } from '@shop/platform/database';

const COLUMNS = 'id, order_id, customer_id, status, shipping_address, created_at, updated_at, dispatched_at, delivered_at, cancelled_at, version';

const LOCK_GUARD = statement(
  `insert into order_guards (order_id, cancelled_at) values ($1, case when $2 then now() end)
   on conflict (order_id) do update set cancelled_at = coalesce(order_guards.cancelled_at, excluded.cancelled_at)
   returning cancelled_at is not null as cancelled`,
);
// Its own statement, after the guard's lock: the locking statement's snapshot predates what it waited for.
const LOCK_BY_ORDER = statement(`select ${COLUMNS} from deliveries where order_id = $1 for update`);
const LOCK_BY_ID = statement(`select ${COLUMNS} from deliveries where id = $1 for update`);
const CLAIM_DUE = statement(
  `select ${COLUMNS} from deliveries
    where ($1::timestamptz is not null and status = 'SCHEDULED' and created_at <= $1)
       or ($2::timestamptz is not null and status = 'DISPATCHED' and dispatched_at <= $2)
    order by updated_at limit $3 for update skip locked`,
);

interface DeliveryRow {
  id: string;
  order_id: string;
  customer_id: string;
  status: DeliveryStatus;
  shipping_address: ShippingAddress;
  created_at: Date;
  updated_at: Date;
  dispatched_at: Date | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
  version: number;
}

function toEntity(d: DeliveryRow): DeliveryEntity {
  return DeliveryEntity.restore({
    id: d.id,
    orderId: d.order_id,
    customerId: d.customer_id,
    status: d.status,
    shippingAddress: d.shipping_address,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    dispatchedAt: d.dispatched_at,
    deliveredAt: d.delivered_at,
    cancelledAt: d.cancelled_at,
    version: d.version,
  });
}

/** Deliveries on the service's own SQL, inside the use case's unit of work. */
@Injectable()
export class PgDeliveryRepository extends DeliveryRepository<Tx> {
  async guard(tx: Tx, orderId: string, options: { cancel?: boolean } = {}): Promise<{ cancelled: boolean; delivery: DeliveryEntity | null }> {
    const [guard] = await tx.query<{ cancelled: boolean }>(LOCK_GUARD, [orderId, options.cancel === true]);
    const [row] = await tx.query<DeliveryRow>(LOCK_BY_ORDER, [orderId]);
    return { cancelled: guard.cancelled, delivery: row ? toEntity(row) : null };
  }

  async lock(tx: Tx, id: string): Promise<DeliveryEntity | null> {
    const [row] = await tx.query<DeliveryRow>(LOCK_BY_ID, [id]);
    return row ? toEntity(row) : null;
  }

  async claimDue(tx: Tx, due: DueBefore, limit: number): Promise<DeliveryEntity[]> {
    if (!due.scheduled && !due.dispatched) return [];
    return (await tx.query<DeliveryRow>(CLAIM_DUE, [due.scheduled ?? null, due.dispatched ?? null, limit])).map(toEntity);
  }

  add(tx: Tx, delivery: DeliveryEntity): void {
    const d = delivery.snapshot;
    tx.write({
      sql: `insert into deliveries (id, order_id, customer_id, status, shipping_address, created_at, updated_at, cancelled_at, version)
            values ($1, $2, $3, $4::"DeliveryStatus", $5::jsonb, $6, $7, $8, $9) on conflict (order_id) do nothing`,
      values: [d.id, d.orderId, d.customerId, d.status, JSON.stringify(d.shippingAddress), d.createdAt, d.updatedAt, d.cancelledAt, d.version],
      key: `delivery:${d.orderId}`,
    });
  }

  save(tx: Tx, delivery: DeliveryEntity): void {
    const d = delivery.snapshot;
    tx.write({
      sql: `update deliveries set status = $2::"DeliveryStatus", updated_at = $3, dispatched_at = $4, delivered_at = $5, cancelled_at = $6, version = $7
            where id = $1`,
      values: [d.id, d.status, d.updatedAt, d.dispatchedAt, d.deliveredAt, d.cancelledAt, d.version],
      key: `delivery:${d.orderId}`,
    });
  }
}
