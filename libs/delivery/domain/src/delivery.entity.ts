import { DeliveryError } from './delivery.errors';

export const DELIVERY_STATUSES = ['SCHEDULED', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ShippingAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface DeliveryProps {
  id: string;
  orderId: string;
  customerId: string;
  status: DeliveryStatus;
  shippingAddress: ShippingAddress;
  createdAt: Date;
  updatedAt: Date;
  dispatchedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  version: number;
}

/** What happened to a delivery, in the order it happened; the edges turn these into integration events. */
export type DeliveryEvent =
  | { type: 'scheduled'; at: Date; version: number }
  | { type: 'dispatched'; at: Date; version: number }
  | { type: 'delivered'; at: Date; version: number }
  | { type: 'cancelled'; at: Date; version: number; reason: string };

const ADDRESS_FIELDS: Array<keyof ShippingAddress> = ['name', 'line1', 'city', 'postalCode', 'country'];

/**
 * One order's delivery: SCHEDULED → DISPATCHED → DELIVERED, or CANCELLED while
 * still SCHEDULED. It changes only through named actions, each of which checks
 * the transition, stamps its time, bumps the version and records an event.
 */
export class DeliveryEntity {
  private pending: DeliveryEvent[] = [];

  private constructor(private props: DeliveryProps) {}

  static schedule(input: { id: string; orderId: string; customerId: string; shippingAddress: ShippingAddress; at: Date }): DeliveryEntity {
    const problems: string[] = [];
    if (!input.id.trim()) problems.push('id must not be empty');
    if (!input.orderId.trim()) problems.push('orderId must not be empty');
    if (!input.customerId.trim()) problems.push('customerId must not be empty');
    for (const field of ADDRESS_FIELDS) {
      if (typeof input.shippingAddress?.[field] !== 'string' || !input.shippingAddress[field].trim()) {
        problems.push(`shippingAddress.${field} must not be empty`);
      }
    }
    if (problems.length) throw new DeliveryError('INVALID_DELIVERY', problems.join('; '));
    const delivery = new DeliveryEntity({
      id: input.id,
      orderId: input.orderId,
      customerId: input.customerId,
      status: 'SCHEDULED',
      shippingAddress: { ...input.shippingAddress },
      createdAt: input.at,
      updatedAt: input.at,
      dispatchedAt: null,
      deliveredAt: null,
      cancelledAt: null,
      version: 1,
    });
    delivery.pending.push({ type: 'scheduled', at: input.at, version: 1 });
    return delivery;
  }

  static restore(props: DeliveryProps): DeliveryEntity {
    return new DeliveryEntity({ ...props, shippingAddress: { ...props.shippingAddress } });
  }

  get snapshot(): Readonly<DeliveryProps> {
    return { ...this.props, shippingAddress: { ...this.props.shippingAddress } };
  }

  get status(): DeliveryStatus {
    return this.props.status;
  }

  /** The events recorded since the last call, oldest first; the caller publishes them with the state. */
  pullEvents(): DeliveryEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /** The courier picked the parcel up. */
  dispatch(at: Date): void {
    this.refuseIfFinished('dispatch');
    if (this.props.status !== 'SCHEDULED') {
      throw new DeliveryError('ALREADY_DISPATCHED', `delivery ${this.props.id} is already dispatched`);
    }
    this.props = { ...this.props, status: 'DISPATCHED', dispatchedAt: at, updatedAt: at, version: this.props.version + 1 };
    this.pending.push({ type: 'dispatched', at, version: this.props.version });
  }

  /** The parcel reached the customer. */
  deliver(at: Date): void {
    this.refuseIfFinished('deliver');
    if (this.props.status !== 'DISPATCHED') {
      throw new DeliveryError('NOT_DISPATCHED', `delivery ${this.props.id} cannot be delivered before it is dispatched`);
    }
    this.props = { ...this.props, status: 'DELIVERED', deliveredAt: at, updatedAt: at, version: this.props.version + 1 };
    this.pending.push({ type: 'delivered', at, version: this.props.version });
  }

  /** Only a delivery that has not left the depot can be called off. */
  cancel(reason: string, at: Date = new Date()): void {
    if (!reason.trim()) throw new DeliveryError('INVALID_DELIVERY', 'a cancellation needs a reason');
    if (this.props.status === 'CANCELLED') {
      throw new DeliveryError('ALREADY_CANCELLED', `delivery ${this.props.id} is already cancelled`);
    }
    if (this.props.status !== 'SCHEDULED') {
      throw new DeliveryError('ALREADY_DISPATCHED', `delivery ${this.props.id} is ${this.props.status.toLowerCase()}; it can no longer be cancelled`);
    }
    this.props = { ...this.props, status: 'CANCELLED', cancelledAt: at, updatedAt: at, version: this.props.version + 1 };
    this.pending.push({ type: 'cancelled', at, version: this.props.version, reason });
  }

  /** The courier's next step, whatever it is: dispatch a scheduled delivery, deliver a dispatched one. */
  advance(at: Date): DeliveryStatus {
    if (this.props.status === 'SCHEDULED') this.dispatch(at);
    else this.deliver(at);
    return this.props.status;
  }

  private refuseIfFinished(action: string): void {
    if (this.props.status === 'DELIVERED') {
      throw new DeliveryError('ALREADY_DELIVERED', `delivery ${this.props.id} is already delivered; cannot ${action}`);
    }
    if (this.props.status === 'CANCELLED') {
      throw new DeliveryError('ALREADY_CANCELLED', `delivery ${this.props.id} is cancelled; cannot ${action}`);
    }
  }
}
