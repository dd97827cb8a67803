import { DEFAULT_CONFIDENCE, judge, Observation, zScore } from './confidence-check';
import type { InstanceSample } from './instance-signals';

/** A histogram where every request took about `ms` (all in the bucket just above it). */
const sample = (over: Partial<InstanceSample> & { ms?: number } = {}): InstanceSample => {
  const requests = over.requests ?? 0;
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, Infinity];
  const ms = over.ms ?? 4;
  return {
    requests,
    serverErrors: 0,
    buckets: bounds.map((le) => [le, le * 1000 >= ms ? requests : 0]),
    records: 0,
    retried: 0,
    deadLettered: 0,
    rssBytes: 200 * 1024 * 1024,
    ...over,
  };
};
const observe = (stable: InstanceSample, canary: InstanceSample, over: Partial<Observation> = {}): Observation => ({ stable, canary, windowOver: false, windowSeconds: 60, ...over });
const verdictOf = (o: Observation, name: string) => judge(o).signals.find((s) => s.name === name)?.verdict;

describe('the confidence check', () => {
  it('rolls back at once a canary that sends clearly more records to retry, naming the signal and both rates', () => {
    const j = judge(observe(sample({ records: 60 }), sample({ records: 12, retried: 6 })));
    expect(j.verdict).toBe('rollback');
    expect(j.reasons).toEqual([expect.stringMatching(/^records sent to retry: canary 50\.0% of 12, stable 0\.0% of 60 \(higher by 50\.0 points \(z \d+\.\d\)\)$/)]);
  });

  it('does not take one or two failures for a bad build, nor a difference within chance', () => {
    expect(judge(observe(sample({ records: 100 }), sample({ records: 4, retried: 2 }))).verdict).toBe('continue');
    expect(judge(observe(sample({ records: 400, retried: 8 }), sample({ records: 100, retried: 3 }))).verdict).toBe('continue');
    expect(zScore(3, 100, 8, 400)).toBeLessThan(DEFAULT_CONFIDENCE.zThreshold);
  });

  it('rolls back on 5xx answers, dead letters, slower answers, a tripped breaker or memory well above the stable version', () => {
    expect(verdictOf(observe(sample({ requests: 200 }), sample({ requests: 50, serverErrors: 10 })), 'HTTP errors (5xx)')).toBe('bad');
    expect(verdictOf(observe(sample({ records: 100 }), sample({ records: 40, deadLettered: 5 })), 'records dead-lettered')).toBe('bad');
    expect(verdictOf(observe(sample({ requests: 200, ms: 8 }), sample({ requests: 100, ms: 400 })), 'HTTP latency')).toBe('bad');
    // Two slow requests in a hundred are p99: not judged on so few, while p95 is.
    const slowTail = sample({ requests: 100, ms: 4 });
    slowTail.buckets = slowTail.buckets.map(([le, n]) => [le, le >= 0.5 ? 100 : n - 2]);
    expect(verdictOf(observe(sample({ requests: 200 }), slowTail), 'HTTP latency')).toBe('ok');
    const calls = { calls: 100, failures: 0, opened: 0 };
    expect(verdictOf(observe(sample(), sample(), { gateway: { stable: calls, canary: { calls: 5, failures: 3, opened: 1 } } }), 'breaker trips (gateway)')).toBe('bad');
    expect(verdictOf(observe(sample({ rssBytes: 200e6 }), sample({ rssBytes: 420e6 })), 'memory (resident)')).toBe('bad');
    expect(verdictOf(observe(sample({ rssBytes: 200e6 }), sample({ rssBytes: 240e6 })), 'memory (resident)')).toBe('ok');
  });

  it('promotes once the window is over if nothing is worse and the canary took enough traffic to judge', () => {
    const j = judge(observe(sample({ requests: 300, records: 90, retried: 1 }), sample({ requests: 100, records: 30 }), { windowOver: true }));
    expect(j.verdict).toBe('promote');
    expect(j.reasons[0]).toMatch(/^no signal worse than the stable version's over 60 s; judged on HTTP errors \(5xx\), HTTP latency, records sent to retry, records dead-lettered$/);
  });

  it('keeps judging before the window is over, and rolls back a canary that took too little traffic to vouch for it', () => {
    expect(judge(observe(sample({ requests: 300 }), sample({ requests: 100 }))).verdict).toBe('continue');
    const idle = judge(observe(sample({ requests: 30 }), sample({ requests: 3 }), { windowOver: true }));
    expect(idle).toMatchObject({ verdict: 'rollback', reasons: ['too little traffic reached the canary in 60 s to judge it (at least 20 requests or records)'] });
  });
});
