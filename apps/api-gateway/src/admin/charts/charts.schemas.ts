import { z } from 'zod';

/** `GET /api/admin/charts?minutes=`: how far back the charts reach (default the last hour). */
export const chartsQuerySchema = z.object({ minutes: z.coerce.number().int().min(5).max(360).default(60) }).strict();
export type ChartsQuery = z.infer<typeof chartsQuerySchema>;

export const chartSeries = z.object({
  name: z.string().describe('the series: an outcome, a percentile, a service, an upstream'),
  points: z.array(z.tuple([z.number().describe('unix seconds'), z.number()])),
});

export const chartView = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.string(),
  series: z.array(chartSeries),
});

export const chartsView = z.object({
  available: z.boolean().describe('false when the gateway has no Prometheus to ask (PROMETHEUS_URL unset)'),
  reason: z.string().optional().describe('why there are no charts'),
  from: z.number().describe('unix seconds'),
  to: z.number(),
  stepSeconds: z.number().int(),
  charts: z.array(chartView),
});
export type ChartsView = z.infer<typeof chartsView>;
export type ChartView = z.infer<typeof chartView>;
