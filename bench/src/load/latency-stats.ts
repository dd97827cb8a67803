/** Nearest-rank percentile of an ascending sample (NaN when empty). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** A growable sample of latencies in ms, kept as doubles (8 bytes each; the count cap bounds it). */
export class LatencySample {
  private values = new Float64Array(1_024);
  private size = 0;

  add(ms: number): void {
    if (this.size === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  /** p50/p95/p99/max in ms (NaN when empty). */
  percentiles(): LatencyPercentiles {
    const sorted = this.values.slice(0, this.size).sort();
    return {
      p50: percentileOfSorted(sorted, 50),
      p95: percentileOfSorted(sorted, 95),
      p99: percentileOfSorted(sorted, 99),
      max: this.size ? sorted[this.size - 1] : Number.NaN,
    };
  }

  clear(): void {
    this.size = 0;
  }
}

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** An answer: an HTTP status, or the name of the error when none came (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT). */
export type Outcome = number | string;

export interface ActionSummary extends LatencyPercentiles {
  count: number;
  ok: number;
  /** Unexpected answers by status (or error name). */
  errors: Record<string, number>;
  /** The gateway's refusals to serve now (429, 503 with Retry-After), by status: load shed, not failures. */
  refused: Record<string, number>;
}

export interface WindowSummary {
  seconds: number;
  rate: number;
  errors: number;
  refused: number;
  p50: number;
  p99: number;
}

/**
 * Per action: how many, which unexpected answers, and latency percentiles;
 * plus a rolling window (since the last `window()` call) for the progress line.
 */
export class LoadStats {
  private readonly actions = new Map<string, { ok: number; errors: Map<string, number>; refused: Map<string, number>; latencies: LatencySample }>();
  private readonly recent = new LatencySample();
  private recentErrors = 0;
  private recentRefused = 0;
  private recentSince: number;
  private total = 0;
  private totalErrors = 0;
  private totalRefused = 0;

  constructor(now: number) {
    this.recentSince = now;
  }

  record(action: string, outcome: Outcome, ms: number, ok: boolean, refused = false): void {
    let entry = this.actions.get(action);
    if (!entry) {
      entry = { ok: 0, errors: new Map(), refused: new Map(), latencies: new LatencySample() };
      this.actions.set(action, entry);
    }
    entry.latencies.add(ms);
    this.recent.add(ms);
    this.total++;
    if (ok) {
      entry.ok++;
    } else if (refused) {
      const key = String(outcome);
      entry.refused.set(key, (entry.refused.get(key) ?? 0) + 1);
      this.recentRefused++;
      this.totalRefused++;
    } else {
      const key = String(outcome);
      entry.errors.set(key, (entry.errors.get(key) ?? 0) + 1);
      this.recentErrors++;
      this.totalErrors++;
    }
  }

  get requests(): number {
    return this.total;
  }

  get errors(): number {
    return this.totalErrors;
  }

  get refusals(): number {
    return this.totalRefused;
  }

  /** What happened since the previous call, then starts a new window. */
  window(now: number): WindowSummary {
    const seconds = Math.max(0.001, (now - this.recentSince) / 1000);
    const { p50, p99 } = this.recent.percentiles();
    const summary = { seconds, rate: this.recent.count / seconds, errors: this.recentErrors, refused: this.recentRefused, p50, p99 };
    this.recent.clear();
    this.recentErrors = 0;
    this.recentRefused = 0;
    this.recentSince = now;
    return summary;
  }

  summary(): Record<string, ActionSummary> {
    const out: Record<string, ActionSummary> = {};
    for (const [action, entry] of this.actions) {
      out[action] = {
        count: entry.latencies.count,
        ok: entry.ok,
        errors: Object.fromEntries(entry.errors),
        refused: Object.fromEntries(entry.refused),
        ...entry.latencies.percentiles(),
      };
    }
    return out;
  }
}
