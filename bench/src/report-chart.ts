/**
 * The bench report's headline figures as a picture (bench/results/<date>.svg,
 * shown at the top of the report): every figure that has a target, as how
 * far it is from that target, on a log scale. A bar ending right of the line
 * meets its target; each is labelled with its value and its target.
 */
export interface ReportRow {
  figure: string;
  value: number;
  ratio: string;
  target: string;
  pass: boolean;
}

interface Bar {
  figure: string;
  /** Above 1: better than the target by that factor; below 1: short of it. */
  score: number;
  measured: string;
  target: string;
  pass: boolean;
}

/** A target such as `≤ 150 ms`, `≥ 5,000 /s` or `≥ 0.8x direct`: its direction, number and whether it bounds the ratio. */
export function parseTarget(target: string): { atLeast: boolean; bound: number; onRatio: boolean } | undefined {
  const m = /^([≤≥])\s*([\d,.]+)\s*(x?)/.exec(target.trim());
  if (!m) return undefined;
  return { atLeast: m[1] === '≥', bound: Number(m[2].replace(/,/g, '')), onRatio: m[3] === 'x' };
}

export function headlineBars(rows: ReportRow[]): Bar[] {
  const bars: Bar[] = [];
  for (const row of rows) {
    const target = parseTarget(row.target);
    if (!target || target.bound <= 0) continue;
    const measured = target.onRatio ? Number(/^([\d.]+)x/.exec(row.ratio)?.[1]) : row.value;
    if (!Number.isFinite(measured)) continue;
    // An upper bound met with nothing at all (an added latency of zero or below) is as good as it gets.
    const score = target.atLeast ? Math.max(measured, 0) / target.bound : measured > 0 ? target.bound / measured : Number.POSITIVE_INFINITY;
    bars.push({
      figure: row.figure,
      score,
      measured: target.onRatio ? `${measured}x` : String(row.value),
      target: row.target,
      pass: row.pass,
    });
  }
  return bars;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The SVG: one row per headline figure. */
export function headlineChart(rows: ReportRow[], title: string): string {
  const bars = headlineBars(rows);
  const labelWidth = 470;
  const plotWidth = 360;
  const rowHeight = 22;
  const top = 46;
  const width = labelWidth + plotWidth + 150;
  const height = top + bars.length * rowHeight + 34;
  // log10 of the score, from 1/1000 to 10x the target.
  const [lo, hi] = [-3, 1];
  const x = (score: number) => labelWidth + ((Math.min(hi, Math.max(lo, score > 0 ? Math.log10(score) : lo)) - lo) / (hi - lo)) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="37" fill="#475569">Each figure against its target (log scale): right of the line meets it, left falls short by that factor.</text>`,
  ];
  for (const tick of [-3, -2, -1, 0, 1]) {
    const tx = x(10 ** tick);
    parts.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${top + bars.length * rowHeight}" stroke="${tick === 0 ? '#0f172a' : '#e2e8f0'}" stroke-width="${tick === 0 ? 1.5 : 1}"/>`);
    const label = tick === 0 ? 'target' : tick < 0 ? `1/${10 ** -tick}` : `${10 ** tick}x`;
    parts.push(`<text x="${tx}" y="${top + bars.length * rowHeight + 16}" text-anchor="middle" fill="#475569">${label}</text>`);
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const from = x(1);
    const to = x(bar.score);
    const color = bar.pass ? '#16a34a' : '#dc2626';
    parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(bar.figure.length > 72 ? `${bar.figure.slice(0, 71)}…` : bar.figure)}</text>`);
    parts.push(`<rect x="${Math.min(from, to)}" y="${y + 5}" width="${Math.max(1, Math.abs(to - from))}" height="${rowHeight - 9}" fill="${color}" opacity="0.85"/>`);
    parts.push(`<text x="${labelWidth + plotWidth + 8}" y="${y + 15}" fill="${color}">${escape(`${bar.measured} (${bar.target})`)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
