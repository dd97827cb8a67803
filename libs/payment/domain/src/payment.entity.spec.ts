import { PaymentEntity } from './payment.entity';
import { PaymentError } from './payment.errors';

const charge = { id: 'pay-1', orderId: 'order-1', customerId: 'c-1', amountCents: 4999, currency: 'EUR' };
const authorized = () => PaymentEntity.authorized({ ...charge, reference: 'ref-1' });
const declined = () => PaymentEntity.declined({ ...charge, reason: 'card_declined' });

describe('PaymentEntity', () => {
  it('is born authorized with the provider reference and no decline reason, at version 1', () => {
    const p = authorized();
    expect(p.snapshot).toEqual({ ...charge, status: 'AUTHORIZED', providerReference: 'ref-1', declineReason: null, refundReference: null });
    expect(p.version).toBe(1);
  });

  it('is born declined with the reason and no provider reference, at version 1', () => {
    const p = declined();
    expect(p.snapshot).toEqual({ ...charge, status: 'DECLINED', providerReference: null, declineReason: 'card_declined', refundReference: null });
    expect(p.version).toBe(1);
  });

  it('refunds an authorized payment, keeping the refund reference and moving to version 2', () => {
    const p = authorized();
    p.refund('refund-1');
    expect(p.snapshot).toMatchObject({ status: 'REFUNDED', providerReference: 'ref-1', refundReference: 'refund-1', amountCents: 4999 });
    expect(p.version).toBe(2);
  });

  it('refuses to refund a declined payment, leaving it declined', () => {
    const p = declined();
    expect(() => p.refund('refund-1')).toThrow(new PaymentError('NOT_REFUNDABLE', 'payment pay-1 was declined: there is nothing to refund'));
    expect(p.snapshot).toMatchObject({ status: 'DECLINED', refundReference: null });
  });

  it('refuses to refund twice, keeping the first refund', () => {
    const p = authorized();
    p.refund('refund-1');
    expect(() => p.refund('refund-2')).toThrow(expect.objectContaining({ name: 'PaymentError', code: 'ALREADY_REFUNDED' }));
    expect(p.snapshot).toMatchObject({ status: 'REFUNDED', refundReference: 'refund-1' });
  });

  it('refuses a refund without a provider reference', () => {
    const p = authorized();
    expect(() => p.refund(' ')).toThrow(expect.objectContaining({ code: 'INVALID_PAYMENT' }));
    expect(p.snapshot.status).toBe('AUTHORIZED');
  });

  it('refuses an authorization without a reference and a decline without a reason', () => {
    expect(() => PaymentEntity.authorized({ ...charge, reference: '' })).toThrow(expect.objectContaining({ code: 'INVALID_PAYMENT' }));
    expect(() => PaymentEntity.declined({ ...charge, reason: '' })).toThrow(expect.objectContaining({ code: 'INVALID_PAYMENT' }));
  });

  it('names every invalid field of the charge at once', () => {
    expect(() => PaymentEntity.authorized({ ...charge, customerId: ' ', amountCents: -1, currency: 'euro', reference: 'r' })).toThrow(
      new PaymentError(
        'INVALID_PAYMENT',
        'customerId must not be empty; amountCents must be an integer from 0 to 10000000000; currency must be an ISO 4217 code such as EUR',
      ),
    );
  });

  it.each([1.5, Number.NaN, 100_000_000_01])('refuses an amount of %p cents', (amountCents) => {
    expect(() => PaymentEntity.declined({ ...charge, amountCents, reason: 'x' })).toThrow(/amountCents must be an integer/);
  });

  it('accepts a zero amount (a fully discounted order still has its charge decided)', () => {
    expect(PaymentEntity.authorized({ ...charge, amountCents: 0, reference: 'r' }).snapshot.amountCents).toBe(0);
  });

  it('restores a stored payment as it was, and its version follows the status', () => {
    const stored = { ...charge, status: 'REFUNDED' as const, providerReference: 'ref-1', declineReason: null, refundReference: 'refund-1' };
    const p = PaymentEntity.restore(stored);
    expect(p.snapshot).toEqual(stored);
    expect(p.version).toBe(2);
  });

  describe('events', () => {
    it('records the decision at version 1: authorized, or declined with its reason', () => {
      expect(authorized().pullEvents()).toEqual([{ type: 'authorized', version: 1 }]);
      expect(declined().pullEvents()).toEqual([{ type: 'declined', version: 1, reason: 'card_declined' }]);
    });

    it('records a refund at version 2, and hands each event out once', () => {
      const p = authorized();
      p.pullEvents();
      p.refund('refund-1');
      expect(p.pullEvents()).toEqual([{ type: 'refunded', version: 2 }]);
      expect(p.pullEvents()).toEqual([]);
    });

    it('keeps the decision and the refund in order when both happen before anything is published', () => {
      const p = authorized();
      p.refund('refund-1');
      expect(p.pullEvents()).toEqual([
        { type: 'authorized', version: 1 },
        { type: 'refunded', version: 2 },
      ]);
    });

    it('records nothing for a restored payment, nor for a refused refund', () => {
      const restored = PaymentEntity.restore({ ...charge, status: 'AUTHORIZED', providerReference: 'ref-1', declineReason: null, refundReference: null });
      expect(restored.pullEvents()).toEqual([]);
      const p = declined();
      p.pullEvents();
      expect(() => p.refund('refund-1')).toThrow(PaymentError);
      expect(() => restored.refund(' ')).toThrow(PaymentError);
      expect(p.pullEvents()).toEqual([]);
      expect(restored.pullEvents()).toEqual([]);
    });
  });

  it('hands out copies, so a snapshot cannot change the payment', () => {
    const p = authorized();
    (p.snapshot as { status: string }).status = 'REFUNDED';
    expect(p.snapshot.status).toBe('AUTHORIZED');
  });
});
