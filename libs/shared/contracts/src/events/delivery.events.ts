import { z } from 'zod';

const deliveryStep = z.object({ deliveryId: z.uuid(), orderId: z.uuid() });

export const deliveryScheduledV1 = deliveryStep;
export const deliveryDispatchedV1 = deliveryStep;
export const deliveryDeliveredV1 = deliveryStep;
export const deliveryCancelledV1 = deliveryStep.extend({ reason: z.string() });
export type DeliveryStepV1 = z.infer<typeof deliveryStep>;
export type DeliveryCancelledV1 = z.infer<typeof deliveryCancelledV1>;
