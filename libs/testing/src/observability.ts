import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { freePort } from './app-process';
import { infra, workspaceRoot } from './workspace';

interface ZipkinTool {
  ensureZipkin(options: { rootDir: string; port: number; logFile: string; log: (line: string) => void }): Promise<{ url: string; spansEndpoint: string; stop?: () => Promise<void> }>;
}
interface PrometheusTool {
  startPrometheus(options: { dir: string; port: number; targets: PrometheusTarget[]; ruleFiles: string[]; interval?: string }): Promise<{ url: string; stop: () => Promise<void> }>;
  alertRulesFile(rootDir: string): string;
}

export interface PrometheusTarget {
  job: string;
  address: string;
}

export interface ZipkinSpan {
  traceId: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** Zipkin, as npm start runs it (tools/infra/zipkin.ts), on a port of its own for one suite. */
export class TestZipkin {
  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly stopServer: () => Promise<void>,
  ) {}

  static async start(): Promise<TestZipkin> {
    const dir = mkdtempSync(join(tmpdir(), 'zipkin-'));
    const { ensureZipkin } = infra<ZipkinTool>('zipkin');
    const server = await ensureZipkin({ rootDir: workspaceRoot(), port: await freePort(), logFile: join(dir, 'zipkin.log'), log: () => undefined });
    return new TestZipkin(server.url, dir, server.stop ?? (async () => undefined));
  }

  /** What an app needs to send it spans, soon after they end. */
  get appEnv(): Record<string, string> {
    return { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${this.url}/api/v2/spans`, OTEL_BSP_SCHEDULE_DELAY: '200' };
  }

  /** The traces that have a span tagged with this record key (an order's id), as the console's link finds them. */
  async tracesOfKey(key: string): Promise<ZipkinSpan[][]> {
    const query = new URLSearchParams({ annotationQuery: `messaging.kafka.message.key=${key}`, limit: '50', lookback: String(24 * 3600 * 1000) });
    const res = await fetch(`${this.url}/api/v2/traces?${query}`);
    if (!res.ok) throw new Error(`zipkin: ${res.status} ${await res.text()}`);
    return (await res.json()) as ZipkinSpan[][];
  }

  async stop(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * Prometheus, as npm start runs it (tools/infra/prometheus.ts), on a port of
 * its own, scraping the targets given every second. `forDurations` replaces
 * the shipped rules' `for:` (the rules are otherwise the shipped ones), so a
 * test sees an alert fire in seconds rather than minutes.
 */
export class TestPrometheus {
  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly stopServer: () => Promise<void>,
  ) {}

  static async start(targets: PrometheusTarget[], options: { forDurations?: string } = {}): Promise<TestPrometheus> {
    const tool = infra<PrometheusTool>('prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
    let rules = tool.alertRulesFile(workspaceRoot());
    if (options.forDurations) {
      const doc = YAML.parse(readFileSync(rules, 'utf8')) as { groups: Array<{ rules: Array<{ for?: string }> }> };
      for (const group of doc.groups) for (const rule of group.rules) rule.for = options.forDurations;
      rules = join(dir, 'alerts.yml');
      writeFileSync(rules, YAML.stringify(doc));
    }
    const server = await tool.startPrometheus({ dir, port: await freePort(), targets, ruleFiles: [rules], interval: '1s' });
    return new TestPrometheus(server.url, dir, server.stop);
  }

  async alerts(): Promise<PrometheusAlert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: PrometheusAlert[] } };
    return body.data.alerts;
  }

  async targets(): Promise<Array<{ job: string; health: string }>> {
    const body = (await (await fetch(`${this.url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ labels: { job: string }; health: string }> } };
    return body.data.activeTargets.map((t) => ({ job: t.labels.job, health: t.health }));
  }

  async stop(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
