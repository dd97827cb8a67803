import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@shop/platform/http';
import type { GatewayConfig } from '../../config/gateway.config';
import { GATEWAY_CONFIG } from '../../upstreams/upstreams';
import { CHART_QUERIES, seriesName, stepFor } from './chart-queries';
import type { ChartsView, ChartView } from './charts.schemas';

interface RangeResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/**
 * The console's charts from Prometheus's query API (`/api/v1/query_range`),
 * which only the gateway reaches: Prometheus is never exposed, and the
 * console reads it as an admin, through the gateway like every other panel.
 */
@Injectable()
export class PrometheusCharts {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  async charts(minutes: number, now = Date.now()): Promise<ChartsView> {
    const stepSeconds = stepFor(minutes);
    const to = Math.floor(now / 1000 / stepSeconds) * stepSeconds;
    const from = to - minutes * 60;
    const base = this.config.PROMETHEUS_URL;
    if (!base) return { available: false, reason: 'no Prometheus configured (PROMETHEUS_URL); npm start without --lean runs one', from, to, stepSeconds, charts: [] };
    const charts = await Promise.all(
      CHART_QUERIES.map(async (chart): Promise<ChartView> => {
        const series = await Promise.all(
          chart.queries.map(async (q) => {
            const result = await this.range(base, q.expr, from, to, stepSeconds);
            return result.map((r) => ({ name: seriesName(q.name, r.metric) || q.name, points: r.values.map(([t, v]): [number, number] => [t, Number(v)]) }));
          }),
        );
        return { id: chart.id, title: chart.title, unit: chart.unit, series: series.flat().sort((a, b) => a.name.localeCompare(b.name)) };
      }),
    );
    return { available: true, from, to, stepSeconds, charts };
  }

  private async range(base: string, query: string, from: number, to: number, step: number) {
    const url = new URL('/api/v1/query_range', base);
    for (const [k, v] of Object.entries({ query, start: String(from), end: String(to), step: String(step) })) url.searchParams.set(k, v);
    let body: RangeResult;
    try {
      // Within the gateway's own deadline: seven range queries over an hour are heavier than an upstream's read.
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.floor(this.config.REQUEST_TIMEOUT_MS * 0.8)) });
      body = (await res.json()) as RangeResult;
    } catch (err) {
      throw new ProblemException(502, `Prometheus at ${base} did not answer: ${(err as Error).message}`);
    }
    if (body.status !== 'success' || body.data?.resultType !== 'matrix') throw new ProblemException(502, `Prometheus refused a chart's query: ${body.error ?? body.status}`);
    return body.data.result;
  }
}
