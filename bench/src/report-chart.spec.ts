import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headlineBars, headlineChart, parseTarget, ReportRow } from './report-chart';

const RESULTS = join(__dirname, '..', 'results');
const REPORT = '2026-11-30';

describe('the bench report chart', () => {
  const rows = (JSON.parse(readFileSync(join(RESULTS, `${REPORT}.json`), 'utf8')) as { rows: ReportRow[] }).rows;

  it('reads the targets the report writes', () => {
    expect(parseTarget('≤ 150 ms')).toEqual({ atLeast: false, bound: 150, onRatio: false });
    expect(parseTarget('≥ 5,000 /s')).toEqual({ atLeast: true, bound: 5000, onRatio: false });
    expect(parseTarget('≥ 0.8x direct')).toEqual({ atLeast: true, bound: 0.8, onRatio: true });
    expect(parseTarget('-')).toBeUndefined();
  });

  it('draws every figure with a target, passing ones at or right of the target, failing ones left of it', () => {
    const bars = headlineBars(rows);
    expect(bars.map((b) => b.figure)).toEqual(rows.filter((r) => r.target !== '-').map((r) => r.figure));
    for (const bar of bars) expect({ figure: bar.figure, meets: bar.score >= 1 }).toEqual({ figure: bar.figure, meets: bar.pass });
    const gateway = bars.find((b) => b.figure.startsWith('gateway proxied read'));
    expect(gateway).toMatchObject({ measured: '0.79x', target: '≥ 0.8x direct' });
    expect(gateway?.score).toBeCloseTo(0.79 / 0.8);
  });

  it(`bench/results/${REPORT}.svg is what the report's JSON draws`, () => {
    expect(readFileSync(join(RESULTS, `${REPORT}.svg`), 'utf8')).toBe(headlineChart(rows, `Benchmarks, ${REPORT}: headline figures`));
  });
});
