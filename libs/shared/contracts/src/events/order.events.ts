import { z } from 'zod';
import { money } from './envelope';

export const orderItemV1 = z.object({
  productId: z.uuid(),
  quantity: z.number().int().min(1),
  unitPriceCents: money.cents,
});

export const cancelReasons = ['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'CUSTOMER_REQUEST', 'DELIVERY_FAILED'] as const;

export const orderPlacedV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  items: z.array(orderItemV1).min(1),
  totalCents: money.cents,
  currency: money.currency,
});
export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;

/**
 * Stock is held; the payment service authorizes this. The token is the
 * provider's opaque, single-use reference, never card data.
 */
export const orderAwaitingPaymentV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  amountCents: money.cents,
  currency: money.currency,
  paymentToken: z.string().min(1),
});
export type OrderAwaitingPaymentV1 = z.infer<typeof orderAwaitingPaymentV1>;

export const shippingAddressV1 = z.object({
  name: z.string(),
  line1: z.string(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

export const orderConfirmedV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  shippingAddress: shippingAddressV1,
});
export type OrderConfirmedV1 = z.infer<typeof orderConfirmedV1>;

export const orderCancelledV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  reason: z.enum(cancelReasons),
  /** The status the order had when it was cancelled; tells compensations what to undo. */
  previousStatus: z.enum(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']),
});
export type OrderCancelledV1 = z.infer<typeof orderCancelledV1>;

/**
 * The customer asked to cancel a confirmed order. Its delivery may be leaving
 * the depot at this moment, so the delivery service decides: it calls the
 * delivery off (`delivery.cancelled`, and the order is cancelled and
 * compensated) or the parcel has left (`delivery.dispatched`, and the order
 * ships, its cancellation too late). Never both.
 */
export const orderCancelRequestedV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  reason: z.enum(cancelReasons),
});
export type OrderCancelRequestedV1 = z.infer<typeof orderCancelRequestedV1>;

export const orderShippedV1 = z.object({ orderId: z.uuid(), customerId: z.string() });
export type OrderShippedV1 = z.infer<typeof orderShippedV1>;

/** Delivered: its customer may now review each product of it. */
export const orderDeliveredV1 = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  productIds: z.array(z.uuid()).min(1),
});
export type OrderDeliveredV1 = z.infer<typeof orderDeliveredV1>;
