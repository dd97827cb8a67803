import { OrderError } from './order.errors';

export const ORDER_STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type CancelReason = 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'CUSTOMER_REQUEST' | 'DELIVERY_FAILED';

export interface OrderLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface StatusChange {
  status: OrderStatus;
  at: Date;
  /** Why, where the status alone does not say (a cancellation that came too late). */
  note?: string;
}

export interface OrderProps {
  id: string;
  customerId: string;
  status: OrderStatus;
  cancelReason: CancelReason | null;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  shippingAddress: ShippingAddress;
  /** Held only until the payment is decided. */
  paymentToken: string | null;
  /** When the customer asked to cancel; a confirmed order waits for the delivery service's decision. */
  cancelRequestedAt: Date | null;
  history: StatusChange[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What happened to an order, for the application to turn into integration events. */
export type OrderDomainEvent =
  | { type: 'placed' }
  | { type: 'awaiting-payment'; paymentToken: string }
  | { type: 'confirmed' }
  | { type: 'cancelled'; reason: CancelReason; previousStatus: 'PENDING' | 'AWAITING_PAYMENT' | 'CONFIRMED' }
  | { type: 'cancel-requested'; reason: CancelReason }
  | { type: 'shipped' }
  | { type: 'delivered' };

const MAX_TOTAL_CENTS = 10_000_000_000;

/**
 * The order aggregate and its lifecycle (docs/contract.md). It changes
 * only through named actions; each checks the transition, records it in the
 * history with its time, bumps the version and notes what happened. No step
 * can be skipped or applied twice.
 */
export class OrderEntity {
  private readonly pending: OrderDomainEvent[] = [];
  /** What was stored when it was loaded: a save writes only the history added since, guarded by this version. */
  readonly stored: { version: number; historyLength: number } | null;

  private constructor(
    private props: OrderProps,
    stored: boolean,
  ) {
    this.stored = stored ? { version: props.version, historyLength: props.history.length } : null;
  }

  static place(input: {
    id: string;
    customerId: string;
    items: OrderLine[];
    currency: string;
    shippingAddress: ShippingAddress;
    paymentToken: string;
    now: Date;
  }): OrderEntity {
    if (input.items.length === 0) throw new OrderError('INVALID_ORDER', 'an order needs at least one item');
    const ids = new Set(input.items.map((i) => i.productId));
    if (ids.size !== input.items.length) throw new OrderError('INVALID_ORDER', 'each product may appear once');
    for (const item of input.items) {
      if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
        throw new OrderError('INVALID_ORDER', `quantity of ${item.productId} must be a positive integer`);
      }
      if (!Number.isSafeInteger(item.unitPriceCents) || item.unitPriceCents < 0) {
        throw new OrderError('INVALID_ORDER', `price of ${item.productId} must be a non-negative integer`);
      }
    }
    const totalCents = input.items.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
    if (totalCents > MAX_TOTAL_CENTS) throw new OrderError('INVALID_ORDER', 'the order total is too large');
    const order = new OrderEntity(
      {
        id: input.id,
        customerId: input.customerId,
        status: 'PENDING',
        cancelReason: null,
        items: input.items.map((i) => ({ ...i })),
        totalCents,
        currency: input.currency,
        shippingAddress: { ...input.shippingAddress },
        paymentToken: input.paymentToken,
        cancelRequestedAt: null,
        history: [{ status: 'PENDING', at: input.now }],
        version: 1,
        createdAt: input.now,
        updatedAt: input.now,
      },
      false,
    );
    order.pending.push({ type: 'placed' });
    return order;
  }

  static restore(props: OrderProps): OrderEntity {
    return new OrderEntity({ ...props, items: [...props.items], history: [...props.history] }, true);
  }

  get snapshot(): Readonly<OrderProps> {
    return { ...this.props, items: [...this.props.items], history: [...this.props.history] };
  }

  /** Status changes made since it was loaded (all of them for a new order). */
  get unsavedHistory(): StatusChange[] {
    return this.props.history.slice(this.stored?.historyLength ?? 0);
  }

  /** Events recorded since the last call. */
  pullEvents(): OrderDomainEvent[] {
    return this.pending.splice(0);
  }

  /** Catalog reserved every item: ask for payment. */
  stockReserved(now: Date): void {
    this.expect('PENDING', 'stock reserved');
    const token = this.props.paymentToken ?? '';
    this.move('AWAITING_PAYMENT', now);
    this.pending.push({ type: 'awaiting-payment', paymentToken: token });
  }

  /** Catalog could not reserve everything: nothing was taken. */
  stockRejected(now: Date): void {
    this.expect('PENDING', 'stock rejected');
    this.cancel('OUT_OF_STOCK', now);
  }

  paymentAuthorized(now: Date): void {
    this.expect('AWAITING_PAYMENT', 'payment authorized');
    this.props.paymentToken = null;
    this.move('CONFIRMED', now);
    this.pending.push({ type: 'confirmed' });
  }

  paymentDeclined(now: Date): void {
    this.expect('AWAITING_PAYMENT', 'payment declined');
    this.props.paymentToken = null;
    this.cancel('PAYMENT_DECLINED', now);
  }

  /**
   * The parcel left the depot. When the customer had asked to cancel, the
   * delivery service decided the parcel had left first: the order ships,
   * charged once, and its history says the cancellation came too late.
   */
  dispatched(now: Date): void {
    this.expect('CONFIRMED', 'dispatched');
    const requested = this.props.cancelRequestedAt;
    this.move('SHIPPED', now, requested ? `the cancellation asked for at ${requested.toISOString()} came too late: the parcel had left` : undefined);
    this.pending.push({ type: 'shipped' });
  }

  delivered(now: Date): void {
    this.expect('SHIPPED', 'delivered');
    this.move('DELIVERED', now);
    this.pending.push({ type: 'delivered' });
  }

  /**
   * The delivery service called the delivery off before the parcel left: the
   * customer's cancellation won (the only way a confirmed order is cancelled).
   */
  deliveryCancelled(now: Date): void {
    this.expect('CONFIRMED', 'delivery cancelled');
    const requested = this.props.cancelRequestedAt !== null;
    this.cancel(requested ? 'CUSTOMER_REQUEST' : 'DELIVERY_FAILED', now, requested ? 'cancelled before the parcel left' : undefined);
  }

  /**
   * The customer asks to cancel. Until payment is confirmed nothing can ship
   * and the order decides alone: it is cancelled at once. Once confirmed, its
   * parcel may be leaving: the order records the request and the delivery
   * service decides (deliveryCancelled or dispatched). Asking again while that
   * decision is pending changes nothing.
   */
  requestCancel(now: Date): void {
    const status = this.props.status;
    if (status === 'SHIPPED' || status === 'DELIVERED' || status === 'CANCELLED') {
      throw new OrderError('NOT_CANCELLABLE', `the order is ${status.toLowerCase()} and can no longer be cancelled`);
    }
    if (this.props.cancelRequestedAt !== null) return;
    this.props.cancelRequestedAt = now;
    if (status === 'CONFIRMED') {
      this.props.version += 1;
      this.props.updatedAt = now;
      this.pending.push({ type: 'cancel-requested', reason: 'CUSTOMER_REQUEST' });
      return;
    }
    this.props.paymentToken = null;
    this.cancel('CUSTOMER_REQUEST', now);
  }

  private cancel(reason: CancelReason, now: Date, note?: string): void {
    const previousStatus = this.props.status as 'PENDING' | 'AWAITING_PAYMENT' | 'CONFIRMED';
    this.props.cancelReason = reason;
    this.move('CANCELLED', now, note);
    this.pending.push({ type: 'cancelled', reason, previousStatus });
  }

  private expect(status: OrderStatus, what: string): void {
    if (this.props.status !== status) {
      throw new OrderError('ILLEGAL_TRANSITION', `${what} does not apply to an order that is ${this.props.status}`);
    }
  }

  private move(status: OrderStatus, now: Date, note?: string): void {
    // History timestamps never go backwards, even if clocks of two handlers disagree.
    const last = this.props.history[this.props.history.length - 1];
    const at = last && now < last.at ? last.at : now;
    this.props.status = status;
    this.props.history.push(note ? { status, at, note } : { status, at });
    this.props.version += 1;
    this.props.updatedAt = at;
  }
}
