import { AppProcess, authHeaders, eventually, OtlpReceiver, ReceivedSpan, TestPlatform } from '@shop/testing';
import { startGateway } from '../gateway/gateway-process';

/** A span of a database statement, whichever semantic-conventions version named its attribute. */
const isPostgres = (s: ReceivedSpan) => (s.attributes ?? []).some((a) => (a.key === 'db.system' || a.key === 'db.system.name') && a.value.stringValue === 'postgresql');

/**
 * One order is one trace: the gateway, the order service, its SQL, the Kafka
 * producer (the outbox relay continuing the request's stored context) and the
 * payment consumer share a trace id. The services export OTLP/JSON to a
 * receiver in this test.
 */
describe('trace continuity (services as processes, OTLP export)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let receiver: OtlpReceiver;
  /** The order's trace, from the gateway to the payment consumer (found by the first test). */
  let orderTraceId: string | undefined;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment'],
      // Debug on payment: it logs each event it handles, inside the consumer span.
      env: { catalog: otel, order: otel, payment: { ...otel, LOG_LEVEL: 'debug' } },
    });
    gateway = await startGateway({
      ...otel,
      ...platform.gatewayEnv(),
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
    await receiver?.close();
  });

  it('follows one order from the gateway through the order service, its database and Kafka to the payment consumer', async () => {
    const admin = await authHeaders('ops', 'admin');
    const created = await fetch(`${gateway.url}/api/products`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sku: `TRACE-${Date.now()}`, name: 'Traced', priceCents: 500, currency: 'EUR', stock: 3 }),
    });
    const product = (await created.json()) as { id: string };
    const customer = await authHeaders('tracy');
    const order = await eventually(async () => {
      const res = await fetch(`${gateway.url}/api/orders`, {
        method: 'POST',
        headers: customer,
        body: JSON.stringify({
          items: [{ productId: product.id, quantity: 1 }],
          paymentToken: 'tok_visa',
          shippingAddress: { name: 'T', line1: '1 Span St', city: 'Trace', postalCode: '1', country: 'DE' },
        }),
      });
      if (res.status !== 202) throw new Error(`order not accepted yet (${res.status})`);
      return (await res.json()) as { id: string };
    });

    const trace = await eventually(() => receiver.completeTrace('api-gateway', 'payment'), 30_000);

    const services = new Set(trace.map((s) => s.service));
    expect(services).toEqual(new Set(['api-gateway', 'order', 'catalog', 'payment']));
    expect(trace.some((s) => s.service === 'order' && s.kind === 2)).toBe(true); // HTTP server span
    // The order's one statement (order, items, history, outbox row), as the pg instrumentation names it.
    expect(trace.some((s) => s.service === 'order' && isPostgres(s))).toBe(true);
    expect(trace.some((s) => s.service === 'order' && s.kind === 4 && s.name.includes('order.orders.v1'))).toBe(true); // producer
    expect(trace.some((s) => s.service === 'payment' && s.kind === 5)).toBe(true); // consumer
    // Every span but the gateway's has its parent in the same trace (checked above): no break between processes.
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.service)).toEqual(['api-gateway']);
    expect(order.id).toBeDefined();
    orderTraceId = trace[0].traceId;
  });

  it('puts the trace and span ids on the log lines written while handling the order', async () => {
    const traceId = orderTraceId;
    expect(traceId).toBeDefined();
    const line = await eventually(() => {
      const found = platform
        .logs('payment')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; trace_id?: string; span_id?: string })
        .find((l) => l.msg?.startsWith('order.awaiting-payment') && l.msg.endsWith('handled') && l.trace_id === traceId);
      if (!found) throw new Error('no log line for the handled order.awaiting-payment in its trace yet');
      return found;
    });
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
