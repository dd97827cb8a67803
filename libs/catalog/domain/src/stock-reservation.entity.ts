import { CatalogError } from './catalog.errors';
import { ProductEntity } from './product.entity';

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED';

/** Why an order got nothing: a product the catalog does not have, or one without enough stock. */
export type RejectionReason = 'UNKNOWN_PRODUCT' | 'OUT_OF_STOCK';

/** What a reservation holds and announces of an item: product and quantity (a release gives back exactly these). */
export interface ReservedItem {
  productId: string;
  quantity: number;
}

export interface StockReservationProps {
  orderId: string;
  status: ReservationStatus;
  items: ReservedItem[];
}

/** What happened to a reservation, in the order it happened; the app's mapper turns these into integration events. */
export type StockReservationEvent =
  | { type: 'reserved'; version: number; items: ReservedItem[] }
  | { type: 'rejected'; version: number; reason: RejectionReason; productIds: string[] }
  | { type: 'released'; version: number; items: ReservedItem[] };

/**
 * What the catalog decided for one order: every item reserved, or none
 * (REJECTED); and what it held, later given back once (RELEASED). An order is
 * decided once. A cancellation that comes before the order was decided leaves
 * a released reservation holding nothing, so the late order takes nothing.
 *
 * Its version counts its steps: the decision (or that early release) is 1, the
 * release of what a decision held is 2; it follows from the state, so the
 * table keeps no column for it.
 */
export class StockReservationEntity {
  private pending: StockReservationEvent[] = [];

  private constructor(
    private props: StockReservationProps,
    private currentVersion: number,
  ) {}

  /**
   * Decides a placed order against its products, locked by the caller (unknown ids absent). Every item fits,
   * counting a product listed twice as both quantities: each product's stock is taken (the caller saves them)
   * and the order is RESERVED. Otherwise nothing is taken and it is REJECTED, naming the unknown products, or
   * else the items that fall short.
   */
  static decide(orderId: string, asked: ReadonlyArray<ReservedItem>, products: ReadonlyMap<string, ProductEntity>): StockReservationEntity {
    const items = asked.map(({ productId, quantity }) => ({ productId, quantity }));
    const unknown = [...new Set(items.map((i) => i.productId))].filter((id) => !products.has(id));
    if (unknown.length) return StockReservationEntity.rejected(orderId, items, 'UNKNOWN_PRODUCT', unknown);
    // Tried on copies first: the products the caller holds change only when the whole order fits.
    const trial = new Map([...products].map(([id, p]) => [id, ProductEntity.restore(p.snapshot)]));
    const short: string[] = [];
    for (const item of items) if (!StockReservationEntity.takes(trial.get(item.productId), item.quantity)) short.push(item.productId);
    if (short.length) return StockReservationEntity.rejected(orderId, items, 'OUT_OF_STOCK', short);
    for (const item of items) products.get(item.productId)?.reserve(item.quantity);
    const reservation = new StockReservationEntity({ orderId, status: 'RESERVED', items }, 1);
    reservation.pending.push({ type: 'reserved', version: 1, items: copyItems(items) });
    return reservation;
  }

  /** The order was cancelled before it was decided: nothing is held, nothing announced, and it will never be reserved. */
  static releasedBeforeDecided(orderId: string): StockReservationEntity {
    return new StockReservationEntity({ orderId, status: 'RELEASED', items: [] }, 1);
  }

  static restore(props: StockReservationProps): StockReservationEntity {
    const releasedDecision = props.status === 'RELEASED' && props.items.length > 0;
    return new StockReservationEntity({ ...props, items: copyItems(props.items) }, releasedDecision ? 2 : 1);
  }

  get snapshot(): Readonly<StockReservationProps> {
    return { ...this.props, items: copyItems(this.props.items) };
  }

  get status(): ReservationStatus {
    return this.props.status;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** Whether it holds stock that a release would give back: only a reservation still RESERVED does. */
  get holdsStock(): boolean {
    return this.props.status === 'RESERVED';
  }

  /** The products it holds stock of, for the caller to lock before releasing. */
  get productIds(): string[] {
    return this.holdsStock ? [...new Set(this.props.items.map((i) => i.productId))] : [];
  }

  /** The events recorded since the last call, oldest first; the caller publishes them with the state. */
  pullEvents(): StockReservationEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /**
   * The order was cancelled: gives exactly what was reserved back to the products (locked by the caller; one
   * that is gone gets nothing) and becomes RELEASED. A rejected or released reservation holds nothing: a second
   * cancellation changes nothing and records nothing.
   */
  release(products: ReadonlyMap<string, ProductEntity>): void {
    if (!this.holdsStock) return;
    for (const item of this.props.items) products.get(item.productId)?.release(item.quantity);
    this.props = { ...this.props, status: 'RELEASED' };
    this.currentVersion += 1;
    this.pending.push({ type: 'released', version: this.currentVersion, items: copyItems(this.props.items) });
  }

  private static rejected(orderId: string, items: ReservedItem[], reason: RejectionReason, productIds: string[]): StockReservationEntity {
    const reservation = new StockReservationEntity({ orderId, status: 'REJECTED', items }, 1);
    reservation.pending.push({ type: 'rejected', version: 1, reason, productIds });
    return reservation;
  }

  /** Takes the quantity from the trial copy; false when it falls short (any other refusal is not a shortfall). */
  private static takes(product: ProductEntity | undefined, quantity: number): boolean {
    try {
      product?.reserve(quantity);
      return true;
    } catch (err) {
      if (err instanceof CatalogError && err.code === 'INSUFFICIENT_STOCK') return false;
      throw err;
    }
  }
}

function copyItems(items: ReadonlyArray<ReservedItem>): ReservedItem[] {
  return items.map(({ productId, quantity }) => ({ productId, quantity }));
}
