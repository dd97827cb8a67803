import { z } from 'zod';
import { cancelReasons } from '../events/order.events';

const line = (max: number) => z.string().trim().min(1).max(max);

export const placeOrderSchema = z
  .object({
    items: z
      .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(1_000) }).strict())
      .min(1)
      .max(50)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'each product may appear once'),
    paymentToken: line(200),
    shippingAddress: z
      .object({ name: line(200), line1: line(200), city: line(100), postalCode: line(20), country: line(56) })
      .strict(),
  })
  .strict();
export type PlaceOrderRequest = z.infer<typeof placeOrderSchema>;

export const orderStatuses = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
export type CancelReason = (typeof cancelReasons)[number];

/**
 * A customer's cancel of a confirmed order, which the delivery service decides
 * (the parcel may be leaving): PENDING until it does, then ACCEPTED (the order
 * is cancelled, nothing ships) or TOO_LATE (the parcel had left; the order
 * ships and is charged once).
 */
export const cancellationOutcomes = ['PENDING', 'ACCEPTED', 'TOO_LATE'] as const;
export type CancellationOutcome = (typeof cancellationOutcomes)[number];

export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  cancelReason?: CancelReason;
  /** Present once the customer asked to cancel. */
  cancellation?: { requestedAt: string; outcome: CancellationOutcome };
  items: Array<{ productId: string; name: string; unitPriceCents: number; quantity: number }>;
  totalCents: number;
  currency: string;
  shippingAddress: PlaceOrderRequest['shippingAddress'];
  /** Each status the order reached and when; `note` says why where it is not obvious (a cancellation that came too late). */
  history: Array<{ status: OrderStatus; at: string; note?: string }>;
  createdAt: string;
  updatedAt: string;
}

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
