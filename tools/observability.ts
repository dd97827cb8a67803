/**
 * What `npm start` runs so a person sees the platform work: the trace server
 * (Zipkin, tools/infra/zipkin.ts) with tracing on in every app, and
 * Prometheus (tools/infra/prometheus.ts) scraping every app with the alert
 * rules loaded. Neither is a dependency of the shop: one that cannot start is
 * reported in one line and the platform runs without it. `--lean` leaves both
 * out, and tracing with them.
 */
import { ensureZipkin } from './infra/zipkin';
import { ensurePrometheus } from './infra/prometheus';
import type { App } from './apps';
import type { Log } from './lib/workspace';

/** Tracing settings of the user's own (a collector, an OTLP endpoint, tracing off): they win, and no trace server starts. */
const OWN_TRACING = ['OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_ZIPKIN_ENDPOINT', 'OTEL_SDK_DISABLED'];

function port(env: NodeJS.ProcessEnv, name: string, fallback: number) {
  const n = Number(env[name] || fallback);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${env[name]} is not a valid TCP port`);
  return n;
}

const firstLine = (err: Error) => String(err.message).split('\n')[0];

/** A helper server as npm start has it: where it is and how to stop it, or why it is left out. */
interface Helper {
  url?: string;
  spansEndpoint?: string;
  stop?: () => Promise<void>;
  skipped?: string;
}

export interface Observability {
  envFor(app: { name: string }): Record<string, string>;
  lines: string[];
  stop(): Promise<void>;
}

async function startObservability({
  rootDir,
  apps,
  lean,
  log,
  env = process.env,
}: {
  rootDir: string;
  apps: readonly App[];
  lean: boolean;
  log: Log;
  env?: NodeJS.ProcessEnv;
}): Promise<Observability> {
  if (lean) {
    return { envFor: () => ({}), lines: ['  lean start: no trace server, no Prometheus, tracing off (npm start without --lean has them)'], stop: async () => undefined };
  }
  const own = OWN_TRACING.filter((name) => env[name]);
  const [zipkin, prometheus] = await Promise.all<Helper>([
    own.length
      ? { skipped: `tracing as ${own.join(', ')} say${own.length === 1 ? 's' : ''}; no trace server started` }
      : ensureZipkin({ rootDir, port: port(env, 'SHOP_ZIPKIN_PORT', 9411), log }).catch((err: Error) => ({ skipped: `zipkin: not started: ${firstLine(err)}` })),
    ensurePrometheus({ rootDir, apps, port: port(env, 'SHOP_PROMETHEUS_PORT', 9090), log }).catch((err: Error) => ({
      skipped: `prometheus: not started: ${firstLine(err)}`,
    })),
  ]);
  const traceUi = zipkin.url && `${zipkin.url}/zipkin/`;
  return {
    envFor(app: { name: string }) {
      const vars: Record<string, string> = {};
      if (zipkin.url && zipkin.spansEndpoint) Object.assign(vars, { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint });
      // The console's charts read Prometheus through the gateway; orders link to their traces in the trace UI.
      if (app.name === 'api-gateway' && prometheus.url) vars.PROMETHEUS_URL = prometheus.url;
      if (app.name === 'storefront' && traceUi) vars.TRACE_UI_URL = traceUi;
      return vars;
    },
    lines: [
      `  traces       ${traceUi ? `${traceUi}  (Zipkin)` : zipkin.skipped}`,
      `  prometheus   ${prometheus.url ? `${prometheus.url}  (alerts: ${prometheus.url}/alerts)` : prometheus.skipped}`,
    ],
    async stop() {
      await Promise.all([zipkin.stop?.(), prometheus.stop?.()]);
    },
  };
}

export { startObservability };
