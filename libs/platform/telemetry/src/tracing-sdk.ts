import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { platformSampler } from './batch-poll-sampler';

/** The SDK with the platform's instrumentations, started; a sampler the user names (OTEL_TRACES_SAMPLER) replaces the platform's. */
export function createTracingSdk(): NodeSDK {
  const sdk = new NodeSDK({
    ...(process.env.OTEL_TRACES_SAMPLER ? {} : { sampler: platformSampler() }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not requests anyone traces.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new KafkaJsInstrumentation(),
      new PinoInstrumentation({ logKeys: { traceId: 'trace_id', spanId: 'span_id', traceFlags: 'trace_flags' } }),
      // The hot paths send their own SQL on pg; Prisma serves the rest.
      new PgInstrumentation({ requireParentSpan: true }),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
