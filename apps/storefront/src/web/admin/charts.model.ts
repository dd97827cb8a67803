import type { Json } from './console.model';

export type Charts = Json<'getApiAdminCharts', 200>;
/** A chart; its points as openapi-fetch hands them over (pairs typed as plain arrays). */
export type Chart = Omit<Charts['charts'][number], 'series'> & { series: Array<{ name: string; points: ReadonlyArray<readonly number[]> }> };

/**
 * uPlot's data for one chart: the window's time steps, and each series'
 * value at each step (null where it has none: a gap, not a zero). A window
 * that begins before any series has data (a platform started ten minutes
 * ago, charted over the last hour) begins at the first data instead, ten
 * steps before the end at the latest.
 */
export function alignSeries(chart: Chart, from: number, to: number, stepSeconds: number): Array<Array<number | null>> {
  const first = Math.min(...chart.series.flatMap((s) => s.points.map(([t]) => t)));
  // Ten steps at least, so that one point is not a whole axis.
  const begin = Math.min(first, to - 10 * stepSeconds);
  const start = Number.isFinite(begin) && begin > from ? from + Math.floor((begin - from) / stepSeconds) * stepSeconds : from;
  const xs: number[] = [];
  for (let t = start; t <= to; t += stepSeconds) xs.push(t);
  const index = new Map(xs.map((t, i) => [t, i]));
  return [
    xs,
    ...chart.series.map((s) => {
      const ys: Array<number | null> = xs.map(() => null);
      for (const [t, v] of s.points) {
        const i = index.get(t);
        if (i !== undefined && Number.isFinite(v)) ys[i] = v;
      }
      return ys;
    }),
  ];
}
