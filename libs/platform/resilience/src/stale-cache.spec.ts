import { StaleCache } from './stale-cache';

describe('StaleCache', () => {
  let now = 0;
  /** Values weigh their length; one-letter keys weigh 2 bytes. */
  const cache = (maxBytes = 1_000) => new StaleCache<string>({ ttlMs: 1_000, maxBytes, sizeOf: (v) => v.length, now: () => now });

  beforeEach(() => {
    now = 10_000;
  });

  it('returns the last value stored for a key, with its age', () => {
    const c = cache();
    c.set('a', 'one');
    c.set('a', 'two');
    now += 300;
    expect(c.get('a')).toEqual({ value: 'two', ageMs: 300 });
    expect(c.sizeInBytes).toBe(5);
  });

  it('forgets a value older than the TTL', () => {
    const c = cache();
    c.set('a', 'one');
    now += 1_001;
    expect(c.get('a')).toBeUndefined();
    expect([c.size, c.sizeInBytes]).toEqual([0, 0]);
  });

  it('evicts the least recently written keys until what it holds fits its bytes, whatever their count', () => {
    const c = cache(30);
    c.set('a', 'x'.repeat(8));
    c.set('b', 'x'.repeat(8));
    c.set('a', 'x'.repeat(8));
    expect(c.size).toBe(2);
    c.set('c', 'x'.repeat(12));
    expect(c.get('b')).toBeUndefined();
    expect([c.get('a')?.value.length, c.get('c')?.value.length, c.sizeInBytes]).toEqual([8, 12, 24]);
    for (let i = 0; i < 20; i++) c.set(String.fromCharCode(100 + i), 'x');
    expect(c.size).toBe(10);
    expect(c.sizeInBytes).toBeLessThanOrEqual(30);
  });

  it('does not keep a value larger than the whole cache, and keeps the others', () => {
    const c = cache(30);
    c.set('a', 'small');
    c.set('b', 'x'.repeat(100));
    expect([c.get('a')?.value, c.get('b'), c.sizeInBytes]).toEqual(['small', undefined, 7]);
  });
});
