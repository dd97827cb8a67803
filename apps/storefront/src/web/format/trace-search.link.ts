/**
 * The trace UI's search for one order's traces: every span a consumer makes
 * for a record carries the record's key, and an order's events are keyed by
 * the order's id, so `messaging.kafka.message.key=<id>` finds the trace of
 * its placement (gateway, order service, Kafka, every consumer) and of a
 * cancel, if any. Zipkin's UI reads the search from its query string.
 */
export function traceSearchUrl(traceUi: string, orderId: string, window: { fromMs: number; toMs: number }): string {
  const url = new URL(traceUi);
  url.searchParams.set('annotationQuery', `messaging.kafka.message.key=${orderId}`);
  url.searchParams.set('lookback', 'range');
  url.searchParams.set('startTs', String(Math.floor(window.fromMs)));
  url.searchParams.set('endTs', String(Math.ceil(window.toMs)));
  url.searchParams.set('limit', '10');
  return url.toString();
}
