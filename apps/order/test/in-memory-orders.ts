import { Registry } from 'prom-client';
import type { OrderQueries } from '@shop/order/data-access';
import {
  IdempotencyClaim,
  IdempotencyKeyRepository,
  OrderEntity,
  OrderProps,
  OrderRepository,
  ProductSnapshot,
  ProductSnapshotRepository,
} from '@shop/order/domain';
import { InMemoryTx, InMemoryUnitOfWork, UnitTx } from '@shop/platform/messaging';
import { OrderLifecycleMetrics } from '../src/orders/order-lifecycle.metrics';

const copy = <T>(value: T): T => structuredClone(value);

/** Orders kept in a map; a save checks the version the order was loaded at, as the SQL guard does. */
export class InMemoryOrderRepository extends OrderRepository<UnitTx> {
  readonly rows = new Map<string, OrderProps>();

  lock(_tx: UnitTx, id: string): Promise<OrderEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? OrderEntity.restore(copy(row)) : null);
  }

  add(tx: UnitTx, order: OrderEntity): void {
    const props = copy(order.snapshot);
    if (this.rows.has(props.id)) throw new Error(`order ${props.id} exists already`);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.id, props));
  }

  save(tx: UnitTx, order: OrderEntity): void {
    const props = copy(order.snapshot);
    const loadedAt = order.stored?.version;
    if (this.rows.get(props.id)?.version !== loadedAt) throw new Error(`order ${props.id} changed concurrently (expected version ${loadedAt})`);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.id, props));
  }
}

/** Product snapshots by id; an upsert never moves a product back to an older version. */
export class InMemoryProductSnapshotRepository extends ProductSnapshotRepository<UnitTx> {
  readonly rows = new Map<string, ProductSnapshot>();

  findMany(ids: string[]): Promise<Map<string, ProductSnapshot>> {
    return Promise.resolve(new Map(ids.flatMap((id) => (this.rows.has(id) ? [[id, copy(this.rows.get(id) as ProductSnapshot)] as const] : []))));
  }

  upsert(tx: UnitTx, snapshot: ProductSnapshot, stored?: (changed: boolean) => void): void {
    const current = this.rows.get(snapshot.productId);
    const changed = !current || current.productVersion < snapshot.productVersion;
    stored?.(changed);
    if (changed) InMemoryTx.of(tx).stage(() => this.rows.set(snapshot.productId, copy(snapshot)));
  }
}

/** Idempotency keys per customer; the first claim to commit wins. */
export class InMemoryIdempotencyKeyRepository extends IdempotencyKeyRepository<UnitTx> {
  readonly rows = new Map<string, { requestHash: string; orderId: string }>();

  claim(tx: UnitTx, key: { customerId: string; key: string; requestHash: string; orderId: string }): Promise<IdempotencyClaim> {
    const id = `${key.customerId}/${key.key}`;
    const existing = this.rows.get(id);
    if (existing) return Promise.resolve({ claimed: false, ...existing });
    InMemoryTx.of(tx).stage(() => this.rows.set(id, { requestHash: key.requestHash, orderId: key.orderId }));
    return Promise.resolve({ claimed: true, requestHash: key.requestHash, orderId: key.orderId });
  }
}

/** What `orders_total` counted for an outcome (the metrics count after commit). */
export async function counted(registry: Registry, outcome: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'orders_total');
  return (metric?.values ?? []).filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

/** The order service's use cases on in-memory state: what each handler spec builds its handler from. */
export function inMemoryOrders() {
  const unitOfWork = new InMemoryUnitOfWork('order');
  const orders = new InMemoryOrderRepository();
  const products = new InMemoryProductSnapshotRepository();
  const keys = new InMemoryIdempotencyKeyRepository();
  const registry = new Registry();
  const queries = { find: (id: string) => Promise.resolve(orders.rows.has(id) ? copy(orders.rows.get(id) as OrderProps) : null) } as unknown as OrderQueries;
  return { unitOfWork, orders, products, keys, queries, registry, metrics: new OrderLifecycleMetrics(registry) };
}
