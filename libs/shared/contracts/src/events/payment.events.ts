import { z } from 'zod';
import { money } from './envelope';

export const paymentAuthorizedV1 = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  amountCents: money.cents,
  currency: money.currency,
});
export type PaymentAuthorizedV1 = z.infer<typeof paymentAuthorizedV1>;

export const paymentDeclinedV1 = z.object({ paymentId: z.uuid(), orderId: z.uuid(), reason: z.string() });
export type PaymentDeclinedV1 = z.infer<typeof paymentDeclinedV1>;

export const paymentRefundedV1 = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  amountCents: money.cents,
  currency: money.currency,
});
export type PaymentRefundedV1 = z.infer<typeof paymentRefundedV1>;
