import { z } from 'zod';

export const deliveryQuerySchema = z.object({ orderId: z.uuid() }).strict();

export interface DeliveryView {
  id: string;
  orderId: string;
  status: 'SCHEDULED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';
  updatedAt: string;
}
