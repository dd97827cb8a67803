import type { CancellationOutcome, CancelReason, OrderStatus } from '../../api/api-client';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: 'Placed',
  AWAITING_PAYMENT: 'Awaiting payment',
  CONFIRMED: 'Confirmed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

export const CANCEL_REASONS: Record<CancelReason, string> = {
  OUT_OF_STOCK: 'Some items were out of stock, so nothing was reserved or charged.',
  PAYMENT_DECLINED: 'The payment was declined; the items were released.',
  CUSTOMER_REQUEST: 'You cancelled this order; any payment is refunded.',
  DELIVERY_FAILED: 'The courier could not deliver it; the payment is refunded.',
};

/** A cancel asked for once the order was confirmed: the courier's side decides whether the parcel had left. */
export const CANCELLATION_OUTCOMES: Record<CancellationOutcome, string> = {
  PENDING: 'You asked to cancel: we are stopping the parcel before it leaves.',
  ACCEPTED: 'You cancelled this order; any payment is refunded.',
  TOO_LATE: 'Your cancellation came too late: the parcel had already left. You were charged once.',
};

/** The statuses a customer waits on; the page stops following an order once it leaves them. */
export const TERMINAL: ReadonlySet<OrderStatus> = new Set(['DELIVERED', 'CANCELLED']);

/** Cancel is allowed until the parcel leaves (the API answers 409 after that). */
export const CANCELLABLE: ReadonlySet<OrderStatus> = new Set(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);

/** "payment", "payment and delivery", "payment, delivery and reviews". */
export function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
