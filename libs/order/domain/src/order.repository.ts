import type { OrderEntity } from './order.entity';

/**
 * Where orders are kept (the port; the data-access library implements it).
 * `Tx` is the use case's unit of work: what `add` and `save` write commits
 * with it, together with the events the use case publishes.
 */
export abstract class OrderRepository<Tx = unknown> {
  /** Loads the order and locks it until the unit ends, so transitions of one order run one at a time. */
  abstract lock(tx: Tx, id: string): Promise<OrderEntity | null>;
  /** A new order: its row, items and first history entry. */
  abstract add(tx: Tx, order: OrderEntity): void;
  /** The transitions since it was loaded: the row (guarded by the version it was loaded at) and the new history. */
  abstract save(tx: Tx, order: OrderEntity): void;
}

/** What the order service knows of a product it sells: its own copy, fed by catalog events. */
export interface ProductSnapshot {
  productId: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  productVersion: number;
}

export abstract class ProductSnapshotRepository<Tx = unknown> {
  /** The snapshots of these products, by id; unknown ones are absent. */
  abstract findMany(ids: string[]): Promise<Map<string, ProductSnapshot>>;
  /**
   * Stores a product version unless a newer one is there already (a replay or
   * a rebuild never moves it back); `stored` learns whether it changed the row.
   */
  abstract upsert(tx: Tx, snapshot: ProductSnapshot, stored?: (changed: boolean) => void): void;
}

/** An Idempotency-Key as first used: the request it came with and the order it made. */
export interface IdempotencyClaim {
  claimed: boolean;
  orderId: string;
  requestHash: string;
}

export abstract class IdempotencyKeyRepository<Tx = unknown> {
  /** Claims the key for this request and order, or says who had it: the first request to commit wins. */
  abstract claim(tx: Tx, key: { customerId: string; key: string; requestHash: string; orderId: string }): Promise<IdempotencyClaim>;
}
