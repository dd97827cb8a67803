import { matchRoute, safeNext, signInHref } from './route.matcher';

describe('matchRoute', () => {
  it('maps every page of docs/contract.md to its route', () => {
    expect(matchRoute('/', '')).toEqual({ name: 'products', query: '', category: '' });
    expect(matchRoute('/', '?q=%20kettle%20')).toEqual({ name: 'products', query: 'kettle', category: '' });
    expect(matchRoute('/', '?q=kettle&category=kitchen')).toEqual({ name: 'products', query: 'kettle', category: 'kitchen' });
    expect(matchRoute('/products/abc', '')).toEqual({ name: 'product', id: 'abc' });
    expect(matchRoute('/cart', '')).toEqual({ name: 'cart' });
    expect(matchRoute('/checkout/', '')).toEqual({ name: 'checkout' });
    expect(matchRoute('/orders', '')).toEqual({ name: 'orders' });
    expect(matchRoute('/orders/0b7c', '')).toEqual({ name: 'order', id: '0b7c' });
    expect(matchRoute('/signin', '?next=%2Fcheckout')).toEqual({ name: 'sign-in', next: '/checkout' });
    expect(matchRoute('/admin', '')).toEqual({ name: 'admin' });
    expect(matchRoute('/admin/', '')).toEqual({ name: 'admin' });
  });

  it('answers not-found for anything else', () => {
    expect(matchRoute('/products', '')).toEqual({ name: 'not-found' });
    expect(matchRoute('/orders/1/2', '')).toEqual({ name: 'not-found' });
    expect(matchRoute('/admin/dlq', '')).toEqual({ name: 'not-found' });
  });
});

describe('safeNext', () => {
  it('keeps same-site paths and refuses other sites', () => {
    expect(safeNext('/orders/1')).toBe('/orders/1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('round-trips through the sign-in link', () => {
    const href = signInHref('/checkout?x=1');
    expect(matchRoute('/signin', href.slice('/signin'.length))).toEqual({ name: 'sign-in', next: '/checkout?x=1' });
  });
});
