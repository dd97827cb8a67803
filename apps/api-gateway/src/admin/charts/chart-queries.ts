/**
 * The operator console's charts, each a PromQL query per series family over
 * the metrics the apps export (docs/observability.md). Kept here, not sent by
 * the browser: the console asks for the charts, never for arbitrary queries.
 */
export interface ChartQuery {
  id: string;
  title: string;
  unit: string;
  /** One query per series; `name` may use a label of the result (`{{job}}`). */
  queries: Array<{ name: string; expr: string }>;
}

const percentiles = (metric: string) =>
  [0.5, 0.95, 0.99].map((q) => ({
    name: `p${Math.round(q * 100)}`,
    expr: `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket[5m])))`,
  }));

export const CHART_QUERIES: ChartQuery[] = [
  { id: 'orders', title: 'Orders per second, by outcome', unit: 'orders/s', queries: [{ name: '{{outcome}}', expr: 'sum by (outcome) (rate(orders_total[1m]))' }] },
  { id: 'to-confirmed', title: 'Placed → confirmed', unit: 's', queries: percentiles('order_placed_to_confirmed_seconds') },
  { id: 'to-delivered', title: 'Placed → delivered', unit: 's', queries: percentiles('order_placed_to_delivered_seconds') },
  { id: 'consumer-lag', title: 'Consumer lag, by service', unit: 'records', queries: [{ name: '{{job}}', expr: 'sum by (job) (messaging_consumer_lag)' }] },
  { id: 'outbox-backlog', title: 'Outbox backlog, by service', unit: 'events', queries: [{ name: '{{job}}', expr: 'sum by (job) (clamp_min(outbox_backlog, 0))' }] },
  {
    id: 'dead-letters',
    title: 'Dead letters, by service',
    unit: 'per minute',
    queries: [{ name: '{{job}}', expr: 'sum by (job) (rate(messaging_records_total{outcome="dead-lettered"}[1m])) * 60' }],
  },
  { id: 'breakers', title: "Gateway's breakers (0 closed, 1 half-open, 2 open)", unit: 'state', queries: [{ name: '{{upstream}}', expr: 'max by (upstream) (circuit_breaker_state)' }] },
];

/** A step that gives a chart a few hundred points whatever the window, never finer than the scrape interval here. */
export function stepFor(minutes: number): number {
  return Math.max(5, Math.round((minutes * 60) / 240));
}

/** `{{label}}` in a series name, from the labels of one result. */
export function seriesName(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, label: string) => labels[label] ?? '');
}
