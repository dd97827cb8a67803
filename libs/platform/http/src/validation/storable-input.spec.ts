import { unstorableText } from './storable-input';

describe('unstorable text', () => {
  it('finds a NUL anywhere in a value, keys included, with its path', () => {
    expect(
      unstorableText({ shippingAddress: { name: 'A\u0000B', city: 'Seoul' }, items: [{ note: 'x' }, { note: '\u0000' }], 'k\u0000': 1 }, 'body'),
    ).toEqual([
      { path: 'body.shippingAddress.name', message: 'must not contain a NUL character' },
      { path: 'body.items.1.note', message: 'must not contain a NUL character' },
      { path: 'body."k\\u0000"', message: 'a field name must not contain a NUL character' },
    ]);
  });

  it('finds half a surrogate pair, and lets a whole one and any other text through', () => {
    expect(unstorableText({ a: '\ud83d', b: 'x\ude00y' }, 'body').map((f) => f.path)).toEqual(['body.a', 'body.b']);
    expect(unstorableText({ a: '☕ \ud83d\ude00 한국어', b: 'tab\tnew\nline', n: 3, t: true, z: null }, 'body')).toEqual([]);
  });

  it('stops after twenty findings and at a depth no request reaches', () => {
    expect(unstorableText(Array.from({ length: 50 }, () => '\u0000'), 'body')).toHaveLength(20);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(unstorableText(deep, 'body')).toEqual([]);
  });
});
