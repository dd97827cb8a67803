import type { OrderSummary } from '../../api/api-client';
import { FOLLOW, nextDelay, RETRY, summaryFingerprint } from './poll-backoff.model';

function summary(status: OrderSummary['order']['status'], extra: Partial<OrderSummary> = {}): OrderSummary {
  return {
    order: { status, history: [{ status: 'PENDING', at: '2026-01-01T00:00:00Z' }] } as OrderSummary['order'],
    payment: null,
    delivery: null,
    reviews: [],
    degraded: [],
    ...extra,
  };
}

describe('polling with backoff', () => {
  it('asks again after a second while the order moves, and less often while it does not, up to five seconds', () => {
    const waits: number[] = [];
    let wait: number | undefined;
    for (let i = 0; i < 7; i++) waits.push((wait = nextDelay(wait, false, FOLLOW)));
    expect(waits).toEqual([1_000, 1_500, 2_250, 3_375, 5_000, 5_000, 5_000]);
  });

  it('comes back to a second as soon as something changed', () => {
    expect(nextDelay(5_000, true, FOLLOW)).toBe(1_000);
  });

  it('doubles the wait while the API fails, up to thirty seconds', () => {
    const waits: number[] = [];
    let wait: number | undefined;
    for (let i = 0; i < 6; i++) waits.push((wait = nextDelay(wait, false, RETRY)));
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('sees a change in the status, a payment, a delivery, a review or a part coming back, and nothing else', () => {
    const base = summaryFingerprint(summary('CONFIRMED'));
    expect(summaryFingerprint(summary('CONFIRMED'))).toBe(base);
    expect(summaryFingerprint(summary('SHIPPED'))).not.toBe(base);
    expect(summaryFingerprint(summary('CONFIRMED', { degraded: ['delivery'] }))).not.toBe(base);
    expect(summaryFingerprint(summary('CONFIRMED', { payment: { status: 'AUTHORIZED' } as OrderSummary['payment'] }))).not.toBe(base);
    expect(summaryFingerprint(summary('CONFIRMED', { delivery: { status: 'SCHEDULED' } as OrderSummary['delivery'] }))).not.toBe(base);
  });
});
