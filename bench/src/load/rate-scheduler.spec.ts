import { pickWeighted, RateScheduler } from './rate-scheduler';

describe('rate scheduler', () => {
  it('makes the first action due at the start and one more every 1/rate', () => {
    const s = new RateScheduler(10, 1_000);
    expect(s.take(999)).toBe(0);
    expect(s.take(1_000)).toBe(1);
    expect(s.take(1_050)).toBe(0);
    expect(s.nextDueMs()).toBe(1_100);
    expect(s.take(1_100)).toBe(1);
    expect(s.take(1_999)).toBe(8);
    expect(s.taken).toBe(10);
  });

  it('keeps the offered rate after a stall: the missed actions are due at once (open loop)', () => {
    const s = new RateScheduler(100, 0);
    expect(s.take(0)).toBe(1);
    expect(s.take(1_000)).toBe(100);
    expect(s.taken).toBe(101);
  });

  it('never issues an action twice, whatever the order of calls', () => {
    const s = new RateScheduler(1_000, 0);
    let total = 0;
    for (const t of [0, 5, 5, 3, 17.9, 18, 400, 399]) total += s.take(t);
    expect(total).toBe(401);
  });

  it('stops at the count cap', () => {
    const s = new RateScheduler(1_000, 0, 25);
    expect(s.take(10_000)).toBe(25);
    expect(s.take(20_000)).toBe(0);
    expect(s.nextDueMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('handles rates below one per second', () => {
    const s = new RateScheduler(0.5, 0);
    expect(s.take(0)).toBe(1);
    expect(s.take(1_999)).toBe(0);
    expect(s.take(2_000)).toBe(1);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the rate %d', (rate) => {
    expect(() => new RateScheduler(rate, 0)).toThrow(RangeError);
  });
});

describe('weighted pick', () => {
  it('picks in proportion to the weights', () => {
    const weights = [3, 0, 1];
    expect(pickWeighted(weights, 0)).toBe(0);
    expect(pickWeighted(weights, 0.74)).toBe(0);
    expect(pickWeighted(weights, 0.75)).toBe(2);
    expect(pickWeighted(weights, 0.999999)).toBe(2);
  });

  it('never picks a zero weight', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 1_000; i++) counts[pickWeighted([1, 0, 1], i / 1_000)]++;
    expect(counts).toEqual([500, 0, 500]);
  });

  it('refuses weights that are all zero', () => {
    expect(() => pickWeighted([0, 0], 0.5)).toThrow(RangeError);
  });
});
