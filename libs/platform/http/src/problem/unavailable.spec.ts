import { isUnavailable } from './unavailable';

describe('isUnavailable', () => {
  it('knows a database that cannot serve now from a request that broke something', () => {
    for (const code of ['57014', '55P03', '53300', '57P01', '08006', '40P01', 'ECONNREFUSED']) expect({ code, unavailable: isUnavailable({ code }) }).toEqual({ code, unavailable: true });
    expect(isUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new Error('wrapped', { cause: { code: '57P03' } }))).toBe(true);
    for (const code of ['23505', '22P02', '42703', undefined]) expect(isUnavailable({ code, message: 'bad' })).toBe(false);
    expect(isUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
  });
});
