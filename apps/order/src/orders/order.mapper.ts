import type { OrderDomainEvent, OrderEntity, OrderProps } from '@shop/order/domain';
import type { OutboundEvent } from '@shop/platform/messaging';
import type { OrderView } from '@shop/shared/contracts';

/** A cancellation asked for is decided by where the order went next: cancelled, shipped, or still waiting. */
function cancellationOf(o: OrderProps): OrderView['cancellation'] {
  if (!o.cancelRequestedAt) return undefined;
  const outcome = o.status === 'CANCELLED' ? 'ACCEPTED' : o.status === 'CONFIRMED' ? 'PENDING' : 'TOO_LATE';
  return { requestedAt: o.cancelRequestedAt.toISOString(), outcome };
}

export function toOrderView(o: OrderProps): OrderView {
  const cancellation = cancellationOf(o);
  return {
    id: o.id,
    customerId: o.customerId,
    status: o.status,
    ...(o.cancelReason ? { cancelReason: o.cancelReason } : {}),
    ...(cancellation ? { cancellation } : {}),
    items: o.items.map((i) => ({ productId: i.productId, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity })),
    totalCents: o.totalCents,
    currency: o.currency,
    shippingAddress: o.shippingAddress,
    history: o.history.map((h) => ({ status: h.status, at: h.at.toISOString(), ...(h.note ? { note: h.note } : {}) })),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

/** Domain events of the order → the integration events others subscribe to. */
export function toOutboundEvents(order: OrderEntity, events: OrderDomainEvent[]): OutboundEvent[] {
  const o = order.snapshot;
  const base = { aggregateId: o.id, aggregateVersion: o.version };
  return events.map((event): OutboundEvent => {
    switch (event.type) {
      case 'placed':
        return {
          ...base,
          type: 'order.placed',
          data: {
            orderId: o.id,
            customerId: o.customerId,
            items: o.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
            totalCents: o.totalCents,
            currency: o.currency,
          },
        };
      case 'awaiting-payment':
        return {
          ...base,
          type: 'order.awaiting-payment',
          data: { orderId: o.id, customerId: o.customerId, amountCents: o.totalCents, currency: o.currency, paymentToken: event.paymentToken },
        };
      case 'confirmed':
        return { ...base, type: 'order.confirmed', data: { orderId: o.id, customerId: o.customerId, shippingAddress: o.shippingAddress } };
      case 'cancelled':
        return {
          ...base,
          type: 'order.cancelled',
          data: { orderId: o.id, customerId: o.customerId, reason: event.reason, previousStatus: event.previousStatus },
        };
      case 'cancel-requested':
        return { ...base, type: 'order.cancel-requested', data: { orderId: o.id, customerId: o.customerId, reason: event.reason } };
      case 'shipped':
        return { ...base, type: 'order.shipped', data: { orderId: o.id, customerId: o.customerId } };
      case 'delivered':
        return {
          ...base,
          type: 'order.delivered',
          data: { orderId: o.id, customerId: o.customerId, productIds: o.items.map((i) => i.productId) },
        };
    }
  });
}
