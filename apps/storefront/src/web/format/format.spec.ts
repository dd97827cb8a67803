import { formatMoney } from './money.format';
import { listOf } from './status.labels';

describe('formatMoney', () => {
  it('writes minor units as money in the given locale', () => {
    expect(formatMoney(2550, 'EUR', 'en-GB')).toBe('€25.50');
    expect(formatMoney(100, 'USD', 'en-US')).toBe('$1.00');
  });

  it('keeps zero-decimal currencies whole', () => {
    expect(formatMoney(1200, 'JPY', 'en-US')).toBe('¥1,200');
  });

  it('divides three-decimal currencies by their own minor unit', () => {
    expect(formatMoney(1500, 'KWD', 'en-GB')).toMatch(/^KWD\s1\.500$/);
  });

  it('still shows an amount for a code Intl does not know', () => {
    expect(formatMoney(1234, 'X1', 'en-GB')).toBe('12.34 X1');
  });
});

describe('listOf', () => {
  it('joins parts the way a sentence does', () => {
    expect(listOf(['payment'])).toBe('payment');
    expect(listOf(['payment', 'delivery'])).toBe('payment and delivery');
    expect(listOf(['payment', 'delivery', 'reviews'])).toBe('payment, delivery and reviews');
  });
});
