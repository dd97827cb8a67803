import { StaleCache } from './stale-cache';

describe('StaleCache', () => {
  let now = 0;
  const cache = () => new StaleCache<string>({ ttlMs: 1_000, maxEntries: 2, now: () => now });

  beforeEach(() => {
    now = 10_000;
  });

  it('returns the last value stored for a key, with its age', () => {
    const c = cache();
    c.set('a', 'one');
    c.set('a', 'two');
    now += 300;
    expect(c.get('a')).toEqual({ value: 'two', ageMs: 300 });
  });

  it('forgets a value older than the TTL', () => {
    const c = cache();
    c.set('a', 'one');
    now += 1_001;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('evicts the least recently written key beyond maxEntries', () => {
    const c = cache();
    c.set('a', '1');
    c.set('b', '2');
    c.set('a', '3');
    c.set('c', '4');
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.value).toBe('3');
    expect(c.get('c')?.value).toBe('4');
  });
});
