import { PaymentError } from './payment.errors';

export type PaymentStatus = 'AUTHORIZED' | 'DECLINED' | 'REFUNDED';

export interface PaymentProps {
  id: string;
  orderId: string;
  customerId: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  /** The provider's authorization reference; none for a decline. */
  providerReference: string | null;
  declineReason: string | null;
  refundReference: string | null;
}

/**
 * A payment as the read side serves it: the aggregate's state and when it was
 * stored and last changed (times the database keeps, not the aggregate).
 */
export interface StoredPayment extends PaymentProps {
  createdAt: Date;
  updatedAt: Date;
}

/** What happened to a payment, in the order it happened, with the version it reached; the app turns these into integration events. */
export type PaymentEvent =
  | { type: 'authorized'; version: number }
  | { type: 'declined'; version: number; reason: string }
  | { type: 'refunded'; version: number };

type Charge = Pick<PaymentProps, 'id' | 'orderId' | 'customerId' | 'amountCents' | 'currency'>;

const CURRENCY = /^[A-Z]{3}$/;
const MAX_CENTS = 100_000_000_00;

/**
 * The one charge of an order. It is born from the provider's decision
 * (authorized or declined) and changes only by a refund of an authorized
 * charge; every other move is refused with a typed error. Its birth and its
 * refund each record an event.
 */
export class PaymentEntity {
  private pending: PaymentEvent[] = [];

  private constructor(private props: PaymentProps) {}

  static authorized(charge: Charge & { reference: string }): PaymentEntity {
    const { reference, ...rest } = charge;
    if (!reference.trim()) throw new PaymentError('INVALID_PAYMENT', 'an authorized payment needs the provider reference');
    const payment = PaymentEntity.born({ ...rest, status: 'AUTHORIZED', providerReference: reference, declineReason: null, refundReference: null });
    payment.pending.push({ type: 'authorized', version: payment.version });
    return payment;
  }

  static declined(charge: Charge & { reason: string }): PaymentEntity {
    const { reason, ...rest } = charge;
    if (!reason.trim()) throw new PaymentError('INVALID_PAYMENT', 'a declined payment needs the reason');
    const payment = PaymentEntity.born({ ...rest, status: 'DECLINED', providerReference: null, declineReason: reason, refundReference: null });
    payment.pending.push({ type: 'declined', version: payment.version, reason });
    return payment;
  }

  static restore(props: PaymentProps): PaymentEntity {
    return new PaymentEntity({ ...props });
  }

  get snapshot(): Readonly<PaymentProps> {
    return { ...this.props };
  }

  /** 1 for the decision, 2 once refunded: what events carry as aggregateVersion. */
  get version(): number {
    return this.props.status === 'REFUNDED' ? 2 : 1;
  }

  /** The events recorded since the last call, oldest first; the caller publishes them with the state. */
  pullEvents(): PaymentEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /** Records the provider's refund of this charge. Only an authorized charge has money to give back. */
  refund(refundReference: string): void {
    if (this.props.status === 'DECLINED') {
      throw new PaymentError('NOT_REFUNDABLE', `payment ${this.props.id} was declined: there is nothing to refund`);
    }
    if (this.props.status === 'REFUNDED') {
      throw new PaymentError('ALREADY_REFUNDED', `payment ${this.props.id} is already refunded`);
    }
    if (!refundReference.trim()) throw new PaymentError('INVALID_PAYMENT', 'a refund needs the provider reference');
    this.props = { ...this.props, status: 'REFUNDED', refundReference };
    this.pending.push({ type: 'refunded', version: this.version });
  }

  private static born(props: PaymentProps): PaymentEntity {
    const problems: string[] = [];
    if (!props.customerId.trim()) problems.push('customerId must not be empty');
    if (!Number.isSafeInteger(props.amountCents) || props.amountCents < 0 || props.amountCents > MAX_CENTS) {
      problems.push(`amountCents must be an integer from 0 to ${MAX_CENTS}`);
    }
    if (!CURRENCY.test(props.currency)) problems.push('currency must be an ISO 4217 code such as EUR');
    if (problems.length) throw new PaymentError('INVALID_PAYMENT', problems.join('; '));
    return new PaymentEntity(props);
  }
}
