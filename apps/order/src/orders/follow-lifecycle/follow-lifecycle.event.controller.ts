import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventContext } from '@shop/platform/messaging';
import type { DeliveryCancelledV1, DeliveryStepV1, Envelope, PaymentAuthorizedV1, PaymentDeclinedV1, StockRejectedV1, StockReservedV1 } from '@shop/shared/contracts';
import { AdvanceOrderHandler } from './advance-order.handler';

/** The saga, from the order's side: each reply from another service moves the order one step. */
@Controller()
export class FollowLifecycleEventController {
  constructor(private readonly advance: AdvanceOrderHandler) {}

  @EventPattern('catalog.stock-reserved')
  stockReserved(@Payload() e: Envelope<StockReservedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.stockReserved(now));
  }

  @EventPattern('catalog.stock-rejected')
  stockRejected(@Payload() e: Envelope<StockRejectedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.stockRejected(now));
  }

  @EventPattern('payment.authorized')
  paymentAuthorized(@Payload() e: Envelope<PaymentAuthorizedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.paymentAuthorized(now));
  }

  @EventPattern('payment.declined')
  paymentDeclined(@Payload() e: Envelope<PaymentDeclinedV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.paymentDeclined(now));
  }

  @EventPattern('delivery.dispatched')
  dispatched(@Payload() e: Envelope<DeliveryStepV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.dispatched(now));
  }

  /** The delivery service called the delivery off before the parcel left: the customer's cancellation won. */
  @EventPattern('delivery.cancelled')
  deliveryCancelled(@Payload() e: Envelope<DeliveryCancelledV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.deliveryCancelled(now));
  }

  @EventPattern('delivery.delivered')
  delivered(@Payload() e: Envelope<DeliveryStepV1>, @Ctx() ctx: EventContext): Promise<void> {
    return this.advance.execute(e, ctx, e.data.orderId, (order, now) => order.delivered(now));
  }
}
