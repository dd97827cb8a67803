import { percentile } from '@shop/testing';

export { percentile };

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Median of repeated runs, with the spread (min..max) so a reader can judge the noise. */
export function summarize(runs: number[]): { median: number; min: number; max: number; runs: number[] } {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
