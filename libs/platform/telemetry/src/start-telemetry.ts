let sdk: { shutdown(): Promise<void> } | undefined;

/**
 * OpenTelemetry for one app: HTTP server and client (node:http and undici),
 * kafkajs, Prisma and pino (trace_id and span_id on every log line), started
 * when traces have somewhere to go: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT
 * or _TRACES_ENDPOINT) or an explicit OTEL_TRACES_EXPORTER. With neither, it
 * stays off: the instrumentation alone cost the gateway about a third of its
 * CPU per proxied request (bench/PROFILE.md), for spans nobody receives.
 * Call it before anything else is required (each app's `telemetry.ts`,
 * imported first by main.ts).
 */
export function startTelemetry(serviceName: string): void {
  if (sdk || !telemetryWanted(process.env)) return;
  process.env.OTEL_SERVICE_NAME ??= serviceName;
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  // Required here, not imported at the top: the SDK and its instrumentations are some 400 modules an app
  // without tracing should not load.
  const { createTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = createTracingSdk();
  const stop = () => void sdk?.shutdown().catch(() => undefined);
  process.once('beforeExit', stop);
}

/** Whether the environment asks for traces (the standard OTEL_* variables). */
export function telemetryWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}
