import { LatencySample, LoadStats, percentileOfSorted } from './latency-stats';

describe('latency sample', () => {
  it('gives nearest-rank percentiles', () => {
    const s = new LatencySample();
    for (let i = 100; i >= 1; i--) s.add(i);
    expect(s.percentiles()).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('grows past its first buffer without losing values', () => {
    const s = new LatencySample();
    for (let i = 0; i < 5_000; i++) s.add(i % 2 ? 1 : 1_000);
    expect(s.count).toBe(5_000);
    expect(s.percentiles().p50).toBe(1);
    expect(s.percentiles().p99).toBe(1_000);
  });

  it('is NaN when empty', () => {
    expect(new LatencySample().percentiles().p99).toBeNaN();
    expect(percentileOfSorted([], 50)).toBeNaN();
  });
});

describe('load stats', () => {
  it('counts answers per action and unexpected ones by status', () => {
    const stats = new LoadStats(0);
    stats.record('order', 202, 10, true);
    stats.record('order', 503, 2, false);
    stats.record('order', 503, 3, false);
    stats.record('order', 'ECONNREFUSED', 1, false);
    stats.record('order', 429, 1, false, true);
    stats.record('list', 200, 4, true);
    expect(stats.requests).toBe(6);
    expect(stats.errors).toBe(3);
    expect(stats.refusals).toBe(1);
    const summary = stats.summary();
    expect(summary.order).toMatchObject({ count: 5, ok: 1, errors: { '503': 2, ECONNREFUSED: 1 }, refused: { '429': 1 }, max: 10 });
    expect(summary.list).toMatchObject({ count: 1, ok: 1, errors: {}, refused: {}, p50: 4, p99: 4 });
  });

  it('reports a window since the previous one, then starts over', () => {
    const stats = new LoadStats(0);
    for (let i = 1; i <= 50; i++) stats.record('product', 200, i, true);
    stats.record('product', 500, 100, false);
    const first = stats.window(2_000);
    expect(first).toEqual({ seconds: 2, rate: 25.5, errors: 1, refused: 0, p50: 26, p99: 100 });
    stats.record('product', 200, 7, true);
    expect(stats.window(3_000)).toEqual({ seconds: 1, rate: 1, errors: 0, refused: 0, p50: 7, p99: 7 });
    expect(stats.window(4_000).rate).toBe(0);
    expect(stats.requests).toBe(52);
  });
});
