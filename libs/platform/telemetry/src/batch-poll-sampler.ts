import { Attributes, Context, SpanKind } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';

/**
 * Samples every trace but the kafkajs instrumentation's batch ones. For each
 * batch a consumer takes, that instrumentation starts a new trace (a `poll
 * <topic>` root, a `process` span per record linked to its producer); the
 * platform already handles each record in a consumer span that continues the
 * producer's trace (consumeAsContinuation), so those batch traces are noise
 * beside the one trace per order, and their spans a cost. Dropping their root
 * drops their children too (the sampler is parent-based).
 */
class BatchPollDropper implements tracing.Sampler {
  private readonly always = new tracing.AlwaysOnSampler();

  shouldSample(_context: Context, _traceId: string, _name: string, kind: SpanKind, attributes: Attributes): tracing.SamplingResult {
    if (kind === SpanKind.CLIENT && attributes['messaging.system'] === 'kafka' && attributes['messaging.operation.type'] === 'receive') {
      return { decision: tracing.SamplingDecision.NOT_RECORD };
    }
    return this.always.shouldSample();
  }

  toString(): string {
    return 'BatchPollDropper';
  }
}

/** The platform's sampler: parent-based, roots sampled except the kafkajs batch polls. */
export function platformSampler(): tracing.Sampler {
  return new tracing.ParentBasedSampler({ root: new BatchPollDropper() });
}
