import { DeliveryEntity, DeliveryProps, DeliveryRepository, DueBefore } from '@shop/delivery/domain';
import { InMemoryTx, InMemoryUnitOfWork, UnitTx } from '@shop/platform/messaging';

const copy = <T>(value: T): T => structuredClone(value);

/** Deliveries and the orders' guards kept in maps; what a unit changes is applied only if it commits. */
export class InMemoryDeliveryRepository extends DeliveryRepository<UnitTx> {
  readonly rows = new Map<string, DeliveryProps>();
  /** Orders whose guard exists, and whether it marks them cancelled. */
  readonly guards = new Map<string, { cancelled: boolean }>();

  guard(tx: UnitTx, orderId: string, options: { cancel?: boolean } = {}): Promise<{ cancelled: boolean; delivery: DeliveryEntity | null }> {
    const cancelled = (this.guards.get(orderId)?.cancelled ?? false) || options.cancel === true;
    InMemoryTx.of(tx).stage(() => this.guards.set(orderId, { cancelled }));
    const row = [...this.rows.values()].find((d) => d.orderId === orderId);
    return Promise.resolve({ cancelled, delivery: row ? DeliveryEntity.restore(copy(row)) : null });
  }

  lock(_tx: UnitTx, id: string): Promise<DeliveryEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? DeliveryEntity.restore(copy(row)) : null);
  }

  claimDue(_tx: UnitTx, due: DueBefore, limit: number): Promise<DeliveryEntity[]> {
    const isDue = (d: DeliveryProps) =>
      (d.status === 'SCHEDULED' && due.scheduled !== undefined && d.createdAt <= due.scheduled) ||
      (d.status === 'DISPATCHED' && due.dispatched !== undefined && d.dispatchedAt !== null && d.dispatchedAt <= due.dispatched);
    return Promise.resolve(
      [...this.rows.values()]
        .filter(isDue)
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
        .slice(0, limit)
        .map((d) => DeliveryEntity.restore(copy(d))),
    );
  }

  add(tx: UnitTx, delivery: DeliveryEntity): void {
    const props = copy(delivery.snapshot);
    // The order's first delivery only, as the unique index has it.
    InMemoryTx.of(tx).stage(() => {
      if (![...this.rows.values()].some((d) => d.orderId === props.orderId)) this.rows.set(props.id, props);
    });
  }

  save(tx: UnitTx, delivery: DeliveryEntity): void {
    const props = copy(delivery.snapshot);
    InMemoryTx.of(tx).stage(() => this.rows.set(props.id, props));
  }
}

/** The delivery service's use cases on in-memory state. */
export function inMemoryDeliveries() {
  return { unitOfWork: new InMemoryUnitOfWork('delivery'), deliveries: new InMemoryDeliveryRepository() };
}
