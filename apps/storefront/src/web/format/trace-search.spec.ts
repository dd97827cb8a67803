import { traceSearchUrl } from './trace-search.link';

describe('traceSearchUrl', () => {
  it("searches the trace UI for the order's key within the window", () => {
    const url = new URL(traceSearchUrl('http://127.0.0.1:9411/zipkin/', '0b6f5c1e-1111-4222-8333-444455556666', { fromMs: 1_000.4, toMs: 9_000.2 }));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9411/zipkin/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      annotationQuery: 'messaging.kafka.message.key=0b6f5c1e-1111-4222-8333-444455556666',
      lookback: 'range',
      startTs: '1000',
      endTs: '9001',
      limit: '10',
    });
  });
});
