import { z } from 'zod';

export const paymentQuerySchema = z.object({ orderId: z.uuid() }).strict();

export interface PaymentView {
  id: string;
  orderId: string;
  status: 'AUTHORIZED' | 'DECLINED' | 'REFUNDED';
  amountCents: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}
