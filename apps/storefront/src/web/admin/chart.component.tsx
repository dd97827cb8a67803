import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, type Chart } from './charts.model';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777'];

/** One chart of the console, drawn by uPlot over the window the gateway answered for. */
export function ChartView({ chart, from, to, stepSeconds }: { chart: Chart; from: number; to: number; stepSeconds: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const data = alignSeries(chart, from, to, stepSeconds);
    const plot = new uPlot(
      {
        width: Math.max(260, el.clientWidth),
        height: 180,
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [{}, { label: chart.unit, size: 56 }],
        series: [{}, ...chart.series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false }))],
        legend: { live: false },
      },
      data as uPlot.AlignedData,
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(260, el.clientWidth), height: 180 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [chart, from, to, stepSeconds]);
  return (
    <figure class="card chart" data-testid={`chart-${chart.id}`}>
      <figcaption class="console-card-title">{chart.title}</figcaption>
      {chart.series.length === 0 ? <p class="muted">No data yet in this window.</p> : null}
      <div ref={host} class="chart-plot" />
    </figure>
  );
}
