/**
 * Open-loop pacing: action i is due at start + i / rate, whether or not the
 * earlier ones have been answered, so a slow server meets the same offered
 * load instead of a politely slowing client. Pure: time comes from the caller.
 */
export class RateScheduler {
  private issued = 0;

  /**
   * @param ratePerSecond actions per second
   * @param startMs when action 0 is due
   * @param total stop after this many actions (the count cap)
   */
  constructor(
    readonly ratePerSecond: number,
    readonly startMs: number,
    readonly total = Number.POSITIVE_INFINITY,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError(`rate must be a positive number, not ${ratePerSecond}`);
  }

  /** How many actions have come due by `nowMs` and were not taken yet; they count as taken. */
  take(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    const due = Math.min(this.total, Math.floor(((nowMs - this.startMs) * this.ratePerSecond) / 1000) + 1);
    const count = Math.max(0, due - this.issued);
    this.issued += count;
    return count;
  }

  /** When the next action is due (Infinity once the count cap is reached). */
  nextDueMs(): number {
    if (this.issued >= this.total) return Number.POSITIVE_INFINITY;
    return this.startMs + (this.issued * 1000) / this.ratePerSecond;
  }

  get taken(): number {
    return this.issued;
  }
}

/** Picks an index with probability proportional to its weight; `random` is in [0, 1). */
export function pickWeighted(weights: readonly number[], random: number): number {
  const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
  if (!(total > 0)) throw new RangeError('no positive weight');
  let point = random * total;
  for (let i = 0; i < weights.length; i++) {
    const w = Math.max(0, weights[i]);
    if (point < w) return i;
    point -= w;
  }
  // Floating-point leftovers land on the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}
