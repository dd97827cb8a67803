import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** The active trace context as W3C headers (`traceparent`, `tracestate`), for an outbox row. */
export function currentTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Publishes outbox rows as continuations of the requests that wrote them:
 * one producer span per record, parented on the trace context stored with
 * the row, whose context the record carries to its consumers. The batch is
 * sent with tracing suppressed, so the kafkajs instrumentation neither makes
 * a second producer span nor overwrites the restored `traceparent`.
 */
export async function publishAsContinuations<T>(
  records: Array<{ topic: string; headers: Record<string, string> }>,
  send: () => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer('shop-outbox-relay');
  const spans = records.map((record) => {
    const parent = propagation.extract(ROOT_CONTEXT, record.headers);
    const span = tracer.startSpan(`send ${record.topic}`, {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': record.topic, 'messaging.operation.type': 'send' },
    }, parent);
    propagation.inject(trace.setSpan(parent, span), record.headers);
    return span;
  });
  try {
    const result = await context.with(suppressTracing(context.active()), send);
    for (const span of spans) span.end();
    return result;
  } catch (err) {
    for (const span of spans) {
      span.recordException(err as Error);
      span.end();
    }
    throw err;
  }
}

/**
 * Runs the handling of one consumed record inside a consumer span whose
 * parent is the trace context the record carries (`traceparent`), so the
 * database work it does continues the request that produced the event, also
 * when records are applied in batches. The span carries the record's key (the
 * aggregate's id: an order's id on the order's events), so a trace server
 * finds an order's traces by `messaging.kafka.message.key`. With tracing off
 * the API is a no-op.
 */
export function consumeAsContinuation<T>(
  record: { topic: string; key?: Buffer | string | null; headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined> },
  work: () => Promise<T>,
): Promise<T> {
  const carrier: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) carrier[name] = first.toString();
  }
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const span = trace.getTracer('shop-consumer').startSpan(
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': record.topic,
        'messaging.operation.type': 'process',
        ...(record.key ? { 'messaging.kafka.message.key': record.key.toString() } : {}),
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err as Error);
      throw err;
    } finally {
      span.end();
    }
  });
}
