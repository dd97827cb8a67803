import { DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { DeliveryError } from './delivery.errors';

const t0 = new Date('2026-12-01T10:00:00.000Z');
const t1 = new Date('2026-12-01T10:00:03.000Z');
const t2 = new Date('2026-12-01T10:00:08.000Z');
const address = { name: 'Ada', line1: '1 Main St', city: 'Seoul', postalCode: '04524', country: 'KR' };

const scheduled = () => DeliveryEntity.schedule({ id: 'd1', orderId: 'o1', customerId: 'c1', shippingAddress: address, at: t0 });
const inStatus = (status: DeliveryStatus): DeliveryEntity => {
  const d = scheduled();
  if (status === 'DISPATCHED' || status === 'DELIVERED') d.dispatch(t1);
  if (status === 'DELIVERED') d.deliver(t2);
  if (status === 'CANCELLED') d.cancel('CUSTOMER_REQUEST', t1);
  d.pullEvents();
  return d;
};
const refusal = (fn: () => void): DeliveryError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeliveryError) return err;
    throw err;
  }
  throw new Error('expected a DeliveryError');
};

describe('DeliveryEntity', () => {
  describe('schedule', () => {
    it('starts SCHEDULED at version 1 with only its creation time stamped', () => {
      expect(scheduled().snapshot).toEqual({
        id: 'd1',
        orderId: 'o1',
        customerId: 'c1',
        status: 'SCHEDULED',
        shippingAddress: address,
        createdAt: t0,
        updatedAt: t0,
        dispatchedAt: null,
        deliveredAt: null,
        cancelledAt: null,
        version: 1,
      });
    });

    it('records a scheduled event, handed out once', () => {
      const d = scheduled();
      expect(d.pullEvents()).toEqual([{ type: 'scheduled', at: t0, version: 1 }]);
      expect(d.pullEvents()).toEqual([]);
    });

    it('names every missing field at once', () => {
      const err = refusal(() =>
        DeliveryEntity.schedule({ id: 'd', orderId: ' ', customerId: '', shippingAddress: { ...address, city: '', country: '' }, at: t0 }),
      );
      expect(err.code).toBe('INVALID_DELIVERY');
      expect(err.message).toBe('orderId must not be empty; customerId must not be empty; shippingAddress.city must not be empty; shippingAddress.country must not be empty');
    });

    it('keeps its own copy of the address', () => {
      const input = { ...address };
      const d = DeliveryEntity.schedule({ id: 'd1', orderId: 'o1', customerId: 'c1', shippingAddress: input, at: t0 });
      input.city = 'Busan';
      expect(d.snapshot.shippingAddress.city).toBe('Seoul');
    });
  });

  describe('dispatch', () => {
    it('moves a scheduled delivery to DISPATCHED, stamping the dispatch time', () => {
      const d = inStatus('SCHEDULED');
      d.dispatch(t1);
      expect(d.snapshot).toMatchObject({ status: 'DISPATCHED', dispatchedAt: t1, updatedAt: t1, createdAt: t0, version: 2 });
      expect(d.pullEvents()).toEqual([{ type: 'dispatched', at: t1, version: 2 }]);
    });

    it.each([
      ['DISPATCHED', 'ALREADY_DISPATCHED'],
      ['DELIVERED', 'ALREADY_DELIVERED'],
      ['CANCELLED', 'ALREADY_CANCELLED'],
    ] as const)('refuses to dispatch a %s delivery (%s), changing nothing', (status, code) => {
      const d = inStatus(status);
      const before = d.snapshot;
      expect(refusal(() => d.dispatch(t2)).code).toBe(code);
      expect(d.snapshot).toEqual(before);
      expect(d.pullEvents()).toEqual([]);
    });
  });

  describe('deliver', () => {
    it('moves a dispatched delivery to DELIVERED, stamping the delivery time', () => {
      const d = inStatus('DISPATCHED');
      d.deliver(t2);
      expect(d.snapshot).toMatchObject({ status: 'DELIVERED', dispatchedAt: t1, deliveredAt: t2, updatedAt: t2, version: 3 });
      expect(d.pullEvents()).toEqual([{ type: 'delivered', at: t2, version: 3 }]);
    });

    it.each([
      ['SCHEDULED', 'NOT_DISPATCHED'],
      ['DELIVERED', 'ALREADY_DELIVERED'],
      ['CANCELLED', 'ALREADY_CANCELLED'],
    ] as const)('refuses to deliver a %s delivery (%s), changing nothing', (status, code) => {
      const d = inStatus(status);
      const before = d.snapshot;
      expect(refusal(() => d.deliver(t2)).code).toBe(code);
      expect(d.snapshot).toEqual(before);
      expect(d.pullEvents()).toEqual([]);
    });
  });

  describe('cancel', () => {
    it('cancels a scheduled delivery, stamping the time and keeping the reason in its event', () => {
      const d = inStatus('SCHEDULED');
      d.cancel('CUSTOMER_REQUEST', t1);
      expect(d.snapshot).toMatchObject({ status: 'CANCELLED', cancelledAt: t1, updatedAt: t1, dispatchedAt: null, version: 2 });
      expect(d.pullEvents()).toEqual([{ type: 'cancelled', at: t1, version: 2, reason: 'CUSTOMER_REQUEST' }]);
    });

    it('stamps the current time when none is given', () => {
      const d = inStatus('SCHEDULED');
      const before = Date.now();
      d.cancel('CUSTOMER_REQUEST');
      expect(d.snapshot.cancelledAt?.getTime()).toBeGreaterThanOrEqual(before);
    });

    it.each([
      ['DISPATCHED', 'ALREADY_DISPATCHED'],
      ['DELIVERED', 'ALREADY_DISPATCHED'],
      ['CANCELLED', 'ALREADY_CANCELLED'],
    ] as const)('refuses a cancel of a %s delivery (%s), changing nothing', (status, code) => {
      const d = inStatus(status);
      const before = d.snapshot;
      expect(refusal(() => d.cancel('CUSTOMER_REQUEST', t2)).code).toBe(code);
      expect(d.snapshot).toEqual(before);
      expect(d.pullEvents()).toEqual([]);
    });

    it('refuses a cancel without a reason', () => {
      const d = inStatus('SCHEDULED');
      expect(refusal(() => d.cancel('  ', t1)).code).toBe('INVALID_DELIVERY');
      expect(d.status).toBe('SCHEDULED');
    });
  });

  describe('advance (the courier\'s next step)', () => {
    it('dispatches a scheduled delivery, then delivers it', () => {
      const d = inStatus('SCHEDULED');
      expect(d.advance(t1)).toBe('DISPATCHED');
      expect(d.advance(t2)).toBe('DELIVERED');
      expect(d.snapshot).toMatchObject({ dispatchedAt: t1, deliveredAt: t2, version: 3 });
      expect(d.pullEvents().map((e) => e.type)).toEqual(['dispatched', 'delivered']);
    });

    it.each([
      ['DELIVERED', 'ALREADY_DELIVERED'],
      ['CANCELLED', 'ALREADY_CANCELLED'],
    ] as const)('refuses to advance a %s delivery (%s), changing nothing', (status, code) => {
      const d = inStatus(status);
      const before = d.snapshot;
      expect(refusal(() => d.advance(t2)).code).toBe(code);
      expect(d.snapshot).toEqual(before);
    });
  });

  it('restores from stored props without recording events', () => {
    const stored = inStatus('DISPATCHED').snapshot;
    const d = DeliveryEntity.restore(stored);
    expect(d.snapshot).toEqual(stored);
    expect(d.pullEvents()).toEqual([]);
    d.deliver(t2);
    expect(d.snapshot.version).toBe(3);
  });
});
