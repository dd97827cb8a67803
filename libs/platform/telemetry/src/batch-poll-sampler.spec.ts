import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { platformSampler } from './batch-poll-sampler';

describe('platformSampler', () => {
  const sampler = platformSampler();
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const sampled = (parent = ROOT_CONTEXT, name = 'post', kind = SpanKind.SERVER, attributes = {}) =>
    sampler.shouldSample(parent, traceId, name, kind, attributes, []).decision === tracing.SamplingDecision.RECORD_AND_SAMPLED;

  it('samples requests and every span of a sampled trace', () => {
    expect(sampled()).toBe(true);
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    expect(sampled(parent, 'process order.orders.v1', SpanKind.CONSUMER, { 'messaging.system': 'kafka', 'messaging.operation.type': 'process' })).toBe(true);
  });

  it("drops the kafkajs instrumentation's batch traces, root and children", () => {
    const poll = { 'messaging.system': 'kafka', 'messaging.operation.type': 'receive', 'messaging.operation.name': 'poll' };
    expect(sampled(ROOT_CONTEXT, 'poll order.orders.v1', SpanKind.CLIENT, poll)).toBe(false);
    const dropped = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    expect(sampled(dropped, 'process order.orders.v1', SpanKind.CONSUMER, { 'messaging.system': 'kafka', 'messaging.operation.type': 'process' })).toBe(false);
  });
});
