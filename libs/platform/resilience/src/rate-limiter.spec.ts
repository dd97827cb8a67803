import { TokenBucketLimiter } from './rate-limiter';

describe('TokenBucketLimiter', () => {
  let now = 0;
  const limiter = (maxClients = 100) =>
    new TokenBucketLimiter({ read: { perSecond: 10, burst: 3 }, write: { perSecond: 1, burst: 1 } }, { maxClients, now: () => now });

  beforeEach(() => {
    now = 1_000;
  });

  it('lets a burst through at once, then one request per refill interval, and says how long to wait', () => {
    const l = limiter();
    expect([l.take('read', 'ann'), l.take('read', 'ann'), l.take('read', 'ann')]).toEqual([0, 0, 0]);
    expect(l.take('read', 'ann')).toBe(100);
    now += 40;
    expect(l.take('read', 'ann')).toBe(60);
    now += 60;
    expect(l.take('read', 'ann')).toBe(0);
    expect(l.take('read', 'ann')).toBe(100);
  });

  it('never saves up more than the burst, however long a client was idle', () => {
    const l = limiter();
    now += 3_600_000;
    const answers = Array.from({ length: 5 }, () => l.take('read', 'ann'));
    expect(answers).toEqual([0, 0, 0, 100, 100]);
  });

  it('keeps each client and each class apart: one client flooding leaves the others their whole allowance', () => {
    const l = limiter();
    for (let i = 0; i < 1_000; i++) l.take('read', 'flooder');
    expect([l.take('read', 'ann'), l.take('read', 'ann'), l.take('read', 'ann')]).toEqual([0, 0, 0]);
    expect(l.take('write', 'flooder')).toBe(0);
    expect(l.take('write', 'flooder')).toBe(1_000);
  });

  it('counts a refused request against nobody: waiting the time it says is enough', () => {
    const l = limiter();
    l.take('write', 'ann');
    const wait = l.take('write', 'ann');
    for (let i = 0; i < 10; i++) l.take('write', 'ann');
    now += wait;
    expect(l.take('write', 'ann')).toBe(0);
  });

  it('forgets idle clients first when it remembers too many, so active ones keep their state', () => {
    const l = limiter(4);
    for (const client of ['a', 'b', 'c']) l.take('write', client);
    now += 2_000; // a, b and c have refilled: nothing to remember
    l.take('write', 'busy');
    l.take('write', 'd');
    expect(l.size('write')).toBe(2);
    expect(l.take('write', 'busy')).toBeGreaterThan(0);
  });

  it('stays within its bound even when every client is active', () => {
    const l = limiter(10);
    for (let i = 0; i < 1_000; i++) l.take('read', `client-${i}`);
    expect(l.size('read')).toBeLessThanOrEqual(10);
  });

  it('refuses a rule that would let nothing through', () => {
    expect(() => new TokenBucketLimiter({ none: { perSecond: 0, burst: 1 } }, { maxClients: 1 })).toThrow('rate limit none');
  });
});
