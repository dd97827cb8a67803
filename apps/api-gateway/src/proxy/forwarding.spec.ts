import { forwardedRequestHeaders, forwardedResponseHeaders, queryOf } from './forwarding';

describe('header forwarding', () => {
  it('forwards identity, trace context and idempotency headers and drops the rest', () => {
    const headers = forwardedRequestHeaders(
      {
        authorization: 'Bearer t',
        traceparent: '00-abc-def-01',
        tracestate: 'x=1',
        'idempotency-key': 'k-1',
        'content-type': 'application/json; charset=utf-8',
        cookie: 'session=secret',
        host: 'shop.example',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        upgrade: 'h2c',
      },
      { ip: '10.0.0.7', protocol: 'https' },
      { hasBody: true },
    );
    expect(headers).toEqual({
      authorization: 'Bearer t',
      traceparent: '00-abc-def-01',
      tracestate: 'x=1',
      'idempotency-key': 'k-1',
      'content-type': 'application/json',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'https',
    });
  });

  it('drops a header the client declared connection-scoped, and the content type of an empty body', () => {
    const headers = forwardedRequestHeaders(
      { connection: 'close, idempotency-key', 'idempotency-key': 'k', 'content-type': 'application/json', 'x-forwarded-for': '1.2.3.4' },
      { ip: '10.0.0.7', protocol: 'http' },
      { hasBody: false },
    );
    expect(headers).toEqual({ 'x-forwarded-for': '1.2.3.4, 10.0.0.7', 'x-forwarded-proto': 'http' });
  });

  it('passes the answer headers back without hop-by-hop ones, the length or the date', () => {
    expect(
      forwardedResponseHeaders({
        'content-type': 'application/problem+json',
        location: '/api/orders/1',
        'retry-after': '3',
        connection: 'keep-alive, x-internal',
        'x-internal': 'hop',
        'keep-alive': 'timeout=72',
        'transfer-encoding': 'chunked',
        'content-length': '42',
        date: 'Mon, 01 Jan 2024 00:00:00 GMT',
      }),
    ).toEqual({ 'content-type': 'application/problem+json', location: '/api/orders/1', 'retry-after': '3' });
  });

  it('keeps the query string of a URL as it is', () => {
    expect(queryOf('/api/products?q=a%20b&limit=5')).toBe('?q=a%20b&limit=5');
    expect(queryOf('/api/products')).toBe('');
  });
});
