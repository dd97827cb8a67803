import { unwrap } from '../../api/api-client';
import { usePolled } from '../state/use-polled.hook';
import { ChartView } from './chart.component';
import { adminApi } from './operator.store';

/**
 * The last hour at a glance, from Prometheus through the gateway (`GET
 * /api/admin/charts`): orders by outcome, how long orders take to be
 * confirmed and delivered, consumer lag, outbox backlog, dead letters and the
 * gateway's breakers. Without Prometheus (a lean start) it says so.
 */
export function ChartsPanel({ everyMs }: { everyMs: number }) {
  const charts = usePolled(() => unwrap(adminApi.GET('/api/admin/charts', { params: { query: { minutes: 60 } } })), everyMs);
  const data = charts.data;
  return (
    <section aria-labelledby="charts-title" class="console-panel">
      <h2 id="charts-title">The last hour</h2>
      {charts.error ? <p class="muted part-degraded" data-testid="charts-error">{charts.error.problem.detail}</p> : null}
      {!data && !charts.error ? <p role="status">Loading…</p> : null}
      {data && !data.available ? <p class="muted" data-testid="charts-unavailable">No charts: {data.reason}</p> : null}
      {data?.available ? (
        <div class="console-grid console-grid-wide">
          {data.charts.map((chart) => (
            <ChartView key={chart.id} chart={chart} from={data.from} to={data.to} stepSeconds={data.stepSeconds} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
