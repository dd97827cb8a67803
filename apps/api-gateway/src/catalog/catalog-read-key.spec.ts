import { catalogReadKey } from './catalog-read-key';

describe('the catalog stale cache key', () => {
  it('is one key for every spelling of the same list request', () => {
    const keys = [{}, { limit: '20' }, { limit: '020' }, { limit: ' 20' }, { q: '' }, { limit: '20', q: '' }].map((q) => catalogReadKey('list', undefined, q));
    expect(new Set(keys)).toEqual(new Set(['/api/products?limit=20']));
    expect(catalogReadKey('list', undefined, { limit: '0100', q: 'mug' })).toBe(catalogReadKey('list', undefined, { q: ' mug ', limit: '100' }));
  });

  it('writes the parameters in one order, encoded', () => {
    expect(catalogReadKey('list', undefined, { q: 'red mug&more', cursor: 'abc', limit: '5' })).toBe('/api/products?cursor=abc&limit=5&q=red%20mug%26more');
  });

  it('keeps requests for different things apart', () => {
    const keys = [{ limit: '5' }, { limit: '6' }, { q: 'a' }, { q: 'b' }, { cursor: 'x' }].map((q) => catalogReadKey('list', undefined, q));
    expect(new Set(keys).size).toBe(5);
    expect(catalogReadKey('item', 'p-1', {})).not.toBe(catalogReadKey('item', 'p-2', {}));
  });

  it('has no key for a query the catalog refuses, so it is never cached nor served stale', () => {
    for (const q of [{ limit: '0' }, { limit: '500' }, { limit: 'ten' }, { colour: 'red' }, { limit: ['5', '6'] }]) {
      expect(catalogReadKey('list', undefined, q)).toBeUndefined();
    }
  });

  it('keys one product by its id, encoded', () => {
    expect(catalogReadKey('item', 'a/b', {})).toBe('/api/products/a%2Fb');
  });
});
