import type { DeliveryEntity } from './delivery.entity';

/** Cut-off times for the courier's automatic steps; an absent one means that step is never automatic. */
export interface DueBefore {
  scheduled?: Date;
  dispatched?: Date;
}

/**
 * Where deliveries are kept (the port; the data-access library implements
 * it). `Tx` is the use case's unit of work: writes commit with it, together
 * with the events the use case publishes.
 */
export abstract class DeliveryRepository<Tx = unknown> {
  /**
   * Locks the order's guard until the unit ends (with `cancel`, marks the order
   * cancelled): scheduling and cancelling one order each take it first, so
   * whichever comes second sees what the first did. Then its delivery, locked.
   */
  abstract guard(tx: Tx, orderId: string, options?: { cancel?: boolean }): Promise<{ cancelled: boolean; delivery: DeliveryEntity | null }>;
  /** A delivery by its id, locked until the unit ends. */
  abstract lock(tx: Tx, id: string): Promise<DeliveryEntity | null>;
  /**
   * Up to `limit` deliveries whose next automatic step is due, locked,
   * skipping those another courier (or a request) holds: no step is taken twice.
   */
  abstract claimDue(tx: Tx, due: DueBefore, limit: number): Promise<DeliveryEntity[]>;
  /** A new delivery; its order's first one only (a second is ignored). */
  abstract add(tx: Tx, delivery: DeliveryEntity): void;
  abstract save(tx: Tx, delivery: DeliveryEntity): void;
}
