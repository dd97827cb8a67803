import { OrderEntity, OrderStatus } from './order.entity';
import { OrderError } from './order.errors';

const t = (s: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, s));
const address = { name: 'Ada', line1: '1 Loop St', city: 'Berlin', postalCode: '10115', country: 'DE' };

function placed(): OrderEntity {
  return OrderEntity.place({
    id: 'o-1',
    customerId: 'c-1',
    items: [
      { productId: 'p-1', name: 'Kettle', unitPriceCents: 4999, quantity: 2 },
      { productId: 'p-2', name: 'Mug', unitPriceCents: 900, quantity: 1 },
    ],
    currency: 'EUR',
    shippingAddress: address,
    paymentToken: 'tok_visa',
    now: t(0),
  });
}

/** Drives a fresh order to the given status along the happy path. */
function at(status: OrderStatus): OrderEntity {
  const order = placed();
  const steps: Array<[OrderStatus, (o: OrderEntity) => void]> = [
    ['AWAITING_PAYMENT', (o) => o.stockReserved(t(1))],
    ['CONFIRMED', (o) => o.paymentAuthorized(t(2))],
    ['SHIPPED', (o) => o.dispatched(t(3))],
    ['DELIVERED', (o) => o.delivered(t(4))],
  ];
  if (status === 'CANCELLED') {
    order.requestCancel(t(1));
  } else {
    for (const [reached, step] of steps) {
      if (order.snapshot.status === status) break;
      step(order);
      if (reached === status) break;
    }
  }
  order.pullEvents();
  return order;
}

describe('OrderEntity', () => {
  it('is placed PENDING with its total fixed from the prices given', () => {
    const order = placed();
    expect(order.snapshot).toMatchObject({ status: 'PENDING', totalCents: 2 * 4999 + 900, version: 1, cancelReason: null });
    expect(order.snapshot.history).toEqual([{ status: 'PENDING', at: t(0) }]);
    expect(order.pullEvents()).toEqual([{ type: 'placed' }]);
    expect(order.pullEvents()).toEqual([]);
  });

  it('refuses an empty order, a repeated product and a bad quantity', () => {
    const base = { id: 'o', customerId: 'c', currency: 'EUR', shippingAddress: address, paymentToken: 't', now: t(0) };
    expect(() => OrderEntity.place({ ...base, items: [] })).toThrow(OrderError);
    const line = { productId: 'p', name: 'n', unitPriceCents: 1, quantity: 1 };
    expect(() => OrderEntity.place({ ...base, items: [line, line] })).toThrow('each product may appear once');
    expect(() => OrderEntity.place({ ...base, items: [{ ...line, quantity: 0 }] })).toThrow('must be a positive integer');
  });

  it('walks the happy path with every step in the history, in order', () => {
    const order = placed();
    order.stockReserved(t(1));
    order.paymentAuthorized(t(2));
    order.dispatched(t(3));
    order.delivered(t(4));
    expect(order.snapshot.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(order.snapshot.version).toBe(5);
    expect(order.pullEvents().map((e) => e.type)).toEqual(['placed', 'awaiting-payment', 'confirmed', 'shipped', 'delivered']);
  });

  it('asks for payment with the token and forgets the token once the payment is decided', () => {
    const order = placed();
    order.stockReserved(t(1));
    expect(order.pullEvents()).toContainEqual({ type: 'awaiting-payment', paymentToken: 'tok_visa' });
    order.paymentAuthorized(t(2));
    expect(order.snapshot.paymentToken).toBeNull();
  });

  it('cancels OUT_OF_STOCK when the catalog rejects the order', () => {
    const order = at('PENDING');
    order.stockRejected(t(1));
    expect(order.snapshot).toMatchObject({ status: 'CANCELLED', cancelReason: 'OUT_OF_STOCK' });
    expect(order.pullEvents()).toEqual([{ type: 'cancelled', reason: 'OUT_OF_STOCK', previousStatus: 'PENDING' }]);
  });

  it('cancels PAYMENT_DECLINED when the payment is declined, so the stock is released', () => {
    const order = at('AWAITING_PAYMENT');
    order.paymentDeclined(t(2));
    expect(order.snapshot).toMatchObject({ status: 'CANCELLED', cancelReason: 'PAYMENT_DECLINED', paymentToken: null });
    expect(order.pullEvents()).toEqual([{ type: 'cancelled', reason: 'PAYMENT_DECLINED', previousStatus: 'AWAITING_PAYMENT' }]);
  });

  it.each<OrderStatus>(['PENDING', 'AWAITING_PAYMENT'])('cancels at once when the customer asks while %s: nothing can ship yet', (status) => {
    const order = at(status);
    order.requestCancel(t(9));
    expect(order.snapshot).toMatchObject({ status: 'CANCELLED', cancelReason: 'CUSTOMER_REQUEST', cancelRequestedAt: t(9), paymentToken: null });
    expect(order.pullEvents()).toEqual([{ type: 'cancelled', reason: 'CUSTOMER_REQUEST', previousStatus: status }]);
  });

  it('leaves a confirmed order confirmed when the customer asks to cancel, and asks the delivery service to decide', () => {
    const order = at('CONFIRMED');
    order.requestCancel(t(9));
    expect(order.snapshot).toMatchObject({ status: 'CONFIRMED', cancelRequestedAt: t(9), version: 4 });
    expect(order.pullEvents()).toEqual([{ type: 'cancel-requested', reason: 'CUSTOMER_REQUEST' }]);
    order.requestCancel(t(10));
    expect(order.snapshot).toMatchObject({ cancelRequestedAt: t(9), version: 4 });
    expect(order.pullEvents()).toEqual([]);
  });

  it('is cancelled, and compensated, when the delivery was called off before the parcel left', () => {
    const order = at('CONFIRMED');
    order.requestCancel(t(9));
    order.pullEvents();
    order.deliveryCancelled(t(10));
    expect(order.snapshot).toMatchObject({ status: 'CANCELLED', cancelReason: 'CUSTOMER_REQUEST' });
    expect(order.snapshot.history.at(-1)).toEqual({ status: 'CANCELLED', at: t(10), note: 'cancelled before the parcel left' });
    expect(order.pullEvents()).toEqual([{ type: 'cancelled', reason: 'CUSTOMER_REQUEST', previousStatus: 'CONFIRMED' }]);
  });

  it('ships, with a history that says the cancellation came too late, when the parcel left first', () => {
    const order = at('CONFIRMED');
    order.requestCancel(t(9));
    order.pullEvents();
    order.dispatched(t(10));
    expect(order.snapshot).toMatchObject({ status: 'SHIPPED', cancelReason: null });
    expect(order.snapshot.history.at(-1)).toEqual({
      status: 'SHIPPED',
      at: t(10),
      note: `the cancellation asked for at ${t(9).toISOString()} came too late: the parcel had left`,
    });
    expect(order.pullEvents()).toEqual([{ type: 'shipped' }]);
    expect(() => order.deliveryCancelled(t(11))).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });

  it.each<OrderStatus>(['SHIPPED', 'DELIVERED', 'CANCELLED'])('refuses a customer cancel once %s', (status) => {
    const order = at(status);
    const before = order.snapshot;
    expect(() => order.requestCancel(t(9))).toThrow(expect.objectContaining({ code: 'NOT_CANCELLABLE' }));
    expect(order.snapshot).toEqual(before);
    expect(order.pullEvents()).toEqual([]);
  });

  const transitions: Array<[string, (o: OrderEntity) => void, OrderStatus]> = [
    ['stockReserved', (o) => o.stockReserved(t(9)), 'PENDING'],
    ['stockRejected', (o) => o.stockRejected(t(9)), 'PENDING'],
    ['paymentAuthorized', (o) => o.paymentAuthorized(t(9)), 'AWAITING_PAYMENT'],
    ['paymentDeclined', (o) => o.paymentDeclined(t(9)), 'AWAITING_PAYMENT'],
    ['dispatched', (o) => o.dispatched(t(9)), 'CONFIRMED'],
    ['deliveryCancelled', (o) => o.deliveryCancelled(t(9)), 'CONFIRMED'],
    ['delivered', (o) => o.delivered(t(9)), 'SHIPPED'],
  ];
  const all: OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
  for (const [name, apply, from] of transitions) {
    for (const status of all.filter((s) => s !== from)) {
      it(`refuses ${name} when the order is ${status}, changing nothing`, () => {
        const order = at(status);
        const before = order.snapshot;
        expect(() => apply(order)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
        expect(order.snapshot).toEqual(before);
      });
    }
  }

  it('never records a step earlier than the one before it', () => {
    const order = placed();
    order.stockReserved(new Date(t(0).getTime() - 5_000));
    expect(order.snapshot.history[1].at).toEqual(t(0));
  });
});
