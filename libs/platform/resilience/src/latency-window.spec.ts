import { LatencyWindow } from './latency-window';

describe('LatencyWindow', () => {
  it('has no percentile before the first sample', () => {
    expect(new LatencyWindow(4).percentile(99)).toBeUndefined();
  });

  it('gives nearest-rank percentiles of the samples held', () => {
    const w = new LatencyWindow(100);
    for (let ms = 100; ms >= 1; ms--) w.record(ms);
    expect([w.percentile(50), w.percentile(99), w.percentile(100), w.mean(), w.count]).toEqual([50, 99, 100, 50.5, 100]);
  });

  it('keeps only the latest samples: an old spike is forgotten', () => {
    const w = new LatencyWindow(3);
    w.record(900);
    for (let i = 0; i < 3; i++) w.record(5);
    expect([w.percentile(100), w.count]).toEqual([5, 3]);
  });
});
