import { parsePrometheusText, Sample } from './prometheus-text';

/** Routes that say nothing about a release: probes and scrapes. */
const IGNORED_ROUTES = new Set(['/health/live', '/health/ready', '/health/status', '/metrics']);

/** An instance's counters at one moment, read from its /metrics: what the confidence check compares. */
export interface InstanceSample {
  /** HTTP requests the instance served (probes and scrapes aside) and how many were 5xx. */
  requests: number;
  serverErrors: number;
  /** The request-duration histogram, cumulative per upper bound in seconds (+Infinity last). */
  buckets: Array<[le: number, count: number]>;
  /** Consumed records handled, and of them those sent to a retry tier or to the dead-letter topic. */
  records: number;
  retried: number;
  deadLettered: number;
  /** Resident memory, bytes. */
  rssBytes?: number;
}

export function instanceSample(text: string): InstanceSample {
  const samples = parsePrometheusText(text);
  const served = (s: Sample) => !IGNORED_ROUTES.has(s.labels.route ?? '');
  const sum = (list: Sample[]) => list.reduce((a, s) => a + s.value, 0);
  const counts = samples.filter((s) => s.name === 'http_server_request_duration_seconds_count' && served(s));
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== 'http_server_request_duration_seconds_bucket' || !served(s)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  const records = samples.filter((s) => s.name === 'messaging_records_total');
  const outcome = (name: string) => sum(records.filter((s) => s.labels.outcome === name));
  return {
    requests: sum(counts),
    serverErrors: sum(counts.filter((s) => Number(s.labels.status_code) >= 500)),
    buckets: [...buckets.entries()].sort(([a], [b]) => a - b),
    records: sum(records),
    retried: outcome('retried'),
    deadLettered: outcome('dead-lettered'),
    rssBytes: samples.find((s) => s.name === 'process_resident_memory_bytes')?.value,
  };
}

/** What happened between two samples of the same instance; memory is the later reading. */
export function between(earlier: InstanceSample, later: InstanceSample): InstanceSample {
  const before = new Map(earlier.buckets);
  return {
    requests: later.requests - earlier.requests,
    serverErrors: later.serverErrors - earlier.serverErrors,
    buckets: later.buckets.map(([le, count]) => [le, count - (before.get(le) ?? 0)]),
    records: later.records - earlier.records,
    retried: later.retried - earlier.retried,
    deadLettered: later.deadLettered - earlier.deadLettered,
    rssBytes: later.rssBytes,
  };
}

/**
 * The q-quantile (0..1) in milliseconds of a cumulative histogram, linear
 * within its bucket as Prometheus's histogram_quantile is; undefined when it
 * is empty. Past the last finite bound it answers that bound.
 */
export function quantileMs(buckets: Array<[number, number]>, q: number): number | undefined {
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let previous: [number, number] = [0, 0];
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (le === Infinity) return previous[0] * 1000;
      const share = count === previous[1] ? 1 : (rank - previous[1]) / (count - previous[1]);
      return (previous[0] + (le - previous[0]) * share) * 1000;
    }
    previous = [le, count];
  }
  return previous[0] * 1000;
}

/** An instance's /metrics, read now. */
export async function readInstance(url: string, timeoutMs = 3_000): Promise<InstanceSample> {
  const res = await fetch(`${url.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}/metrics answered ${res.status}`);
  return instanceSample(await res.text());
}
