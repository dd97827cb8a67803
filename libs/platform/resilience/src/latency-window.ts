/**
 * The latest `size` latencies of an upstream's answers, for a timeout that
 * follows how fast it usually answers. Recording is O(1) with no allocation;
 * the percentile sorts a copy, so callers compute it now and then, not per call.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(readonly size = 256) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
    if (this.filled < this.size) this.filled++;
  }

  get count(): number {
    return this.filled;
  }

  mean(): number | undefined {
    if (this.filled === 0) return undefined;
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += this.samples[i];
    return sum / this.filled;
  }

  /** Nearest-rank percentile (0..100) of the samples held, or undefined when there are none. */
  percentile(p: number): number | undefined {
    if (this.filled === 0) return undefined;
    const sorted = this.samples.slice(0, this.filled).sort();
    return sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil((p / 100) * this.filled) - 1))];
  }
}
