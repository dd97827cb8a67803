import { InstanceSample, quantileMs } from './instance-signals';

/** What the gateway's breaker of one track counted since the canary was set. */
export interface TrackCalls {
  calls: number;
  failures: number;
  opened: number;
}

export interface ConfidenceOptions {
  /** A rate is judged once the canary has this many requests, or records, behind it. */
  minSamples: number;
  /** p95 is judged once each instance has served this many requests; p99 once it has served ten times as many (below that, p99 is a handful of requests). */
  minLatencySamples: number;
  /** A rate is worse only when the canary has at least this many failures (one may be chance)... */
  minBadEvents: number;
  /** ...its rate is higher by this much (absolute)... */
  minRateIncrease: number;
  /** ...and higher with this confidence: a one-sided two-proportion z-test (3 is about 99.9%). */
  zThreshold: number;
  /** A latency percentile is worse above max(stable x factor, stable + margin). */
  latencyFactor: number;
  latencyMarginMs: number;
  /** Resident memory is worse above max(stable x factor, stable + margin). */
  memoryFactor: number;
  memoryMarginBytes: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceOptions = {
  minSamples: 20,
  minLatencySamples: 50,
  minBadEvents: 3,
  minRateIncrease: 0.02,
  zThreshold: 3,
  latencyFactor: 1.5,
  latencyMarginMs: 50,
  memoryFactor: 1.5,
  memoryMarginBytes: 64 * 1024 * 1024,
};

export type SignalVerdict = 'ok' | 'bad' | 'not enough data';

export interface Signal {
  name: string;
  stable: string;
  canary: string;
  verdict: SignalVerdict;
  note?: string;
  /** Whether it measures traffic the canary took (what a promotion needs some of). */
  traffic: boolean;
}

export interface Judgement {
  verdict: 'promote' | 'rollback' | 'continue';
  reasons: string[];
  signals: Signal[];
}

export interface Observation {
  /** What each instance did since the canary started (InstanceSample deltas; memory as last read). */
  stable: InstanceSample;
  canary: InstanceSample;
  /** The gateway's calls to each, when the service is behind it. */
  gateway?: { stable: TrackCalls; canary: TrackCalls };
  /** Whether the judging window is over. */
  windowOver: boolean;
  windowSeconds: number;
}

const percent = (x: number, n: number) => (n === 0 ? 'none' : `${((100 * x) / n).toFixed(1)}% of ${n}`);

/**
 * One-sided two-proportion z statistic: how surely the canary's rate
 * (x1 of n1) exceeds the stable one's (x2 of n2). With no stable traffic the
 * canary is held to a rate of zero.
 */
export function zScore(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 === 0) return 0;
  if (n2 === 0) return x1 > 0 ? Infinity : 0;
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return 0;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return (x1 / n1 - x2 / n2) / se;
}

function rateSignal(name: string, traffic: boolean, canary: [number, number], stable: [number, number], o: ConfidenceOptions): Signal {
  const [x1, n1] = canary;
  const [x2, n2] = stable;
  const base = { name, traffic, stable: percent(x2, n2), canary: percent(x1, n1) };
  const increase = n1 === 0 ? 0 : x1 / n1 - (n2 === 0 ? 0 : x2 / n2);
  const z = zScore(x1, n1, x2, n2);
  // Clearly worse shows early, even before the sample a clean verdict needs: a bad build stops fast.
  if (x1 >= o.minBadEvents && increase >= o.minRateIncrease && z >= o.zThreshold) {
    return { ...base, verdict: 'bad', note: `higher by ${(100 * increase).toFixed(1)} points (z ${Number.isFinite(z) ? z.toFixed(1) : '∞'})` };
  }
  if (n1 < o.minSamples) return { ...base, verdict: 'not enough data', note: `judged from ${o.minSamples} on the canary` };
  return { ...base, verdict: 'ok' };
}

function latencySignal(canary: InstanceSample, stable: InstanceSample, o: ConfidenceOptions): Signal {
  const describe = (s: InstanceSample) => {
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => quantileMs(s.buckets, q));
    return p99 === undefined ? 'none' : `p50 ${p50?.toFixed(0)} ms, p95 ${p95?.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`;
  };
  const base = { name: 'HTTP latency', traffic: true, stable: describe(stable), canary: describe(canary) };
  if (canary.requests < o.minLatencySamples || stable.requests < o.minLatencySamples) {
    return { ...base, verdict: 'not enough data', note: `judged from ${o.minLatencySamples} requests on each` };
  }
  for (const q of [0.95, 0.99]) {
    if (q === 0.99 && Math.min(canary.requests, stable.requests) < 10 * o.minLatencySamples) continue;
    const c = quantileMs(canary.buckets, q) ?? 0;
    const s = quantileMs(stable.buckets, q) ?? 0;
    const limit = Math.max(s * o.latencyFactor, s + o.latencyMarginMs);
    if (c > limit) return { ...base, verdict: 'bad', note: `p${q * 100} ${c.toFixed(0)} ms, above ${limit.toFixed(0)} ms` };
  }
  return { ...base, verdict: 'ok' };
}

function memorySignal(canary: InstanceSample, stable: InstanceSample, o: ConfidenceOptions): Signal {
  const mb = (b?: number) => (b === undefined ? 'unknown' : `${(b / 1024 / 1024).toFixed(0)} MB`);
  const base = { name: 'memory (resident)', traffic: false, stable: mb(stable.rssBytes), canary: mb(canary.rssBytes) };
  if (canary.rssBytes === undefined || stable.rssBytes === undefined) return { ...base, verdict: 'not enough data' };
  const limit = Math.max(stable.rssBytes * o.memoryFactor, stable.rssBytes + o.memoryMarginBytes);
  return canary.rssBytes > limit ? { ...base, verdict: 'bad', note: `above ${mb(limit)}` } : { ...base, verdict: 'ok' };
}

function breakerSignal(gateway: NonNullable<Observation['gateway']>): Signal {
  const base = { name: 'breaker trips (gateway)', traffic: false, stable: String(gateway.stable.opened), canary: String(gateway.canary.opened) };
  return gateway.canary.opened > 0 ? { ...base, verdict: 'bad', note: "the canary's breaker opened" } : { ...base, verdict: 'ok' };
}

/**
 * The confidence check: the canary against the stable version over the same
 * stretch of time, signal by signal. Any signal clearly worse rolls the
 * canary back at once. Once the window is over, it is promoted if no signal
 * is worse and it took enough traffic for at least one to be judged; a canary
 * nobody used is rolled back (nothing vouches for it).
 */
export function judge(observation: Observation, o: ConfidenceOptions = DEFAULT_CONFIDENCE): Judgement {
  const { stable, canary, gateway } = observation;
  const signals: Signal[] = [
    rateSignal('HTTP errors (5xx)', true, [canary.serverErrors, canary.requests], [stable.serverErrors, stable.requests], o),
    latencySignal(canary, stable, o),
    rateSignal('records sent to retry', true, [canary.retried, canary.records], [stable.retried, stable.records], o),
    rateSignal('records dead-lettered', true, [canary.deadLettered, canary.records], [stable.deadLettered, stable.records], o),
  ];
  if (gateway) {
    signals.push(rateSignal('failed calls (gateway)', true, [gateway.canary.failures, gateway.canary.calls], [gateway.stable.failures, gateway.stable.calls], o));
    signals.push(breakerSignal(gateway));
  }
  signals.push(memorySignal(canary, stable, o));
  const bad = signals.filter((s) => s.verdict === 'bad');
  if (bad.length) return { verdict: 'rollback', reasons: bad.map((s) => `${s.name}: canary ${s.canary}, stable ${s.stable}${s.note ? ` (${s.note})` : ''}`), signals };
  if (!observation.windowOver) return { verdict: 'continue', reasons: [], signals };
  const judged = signals.filter((s) => s.traffic && s.verdict === 'ok');
  if (judged.length === 0) {
    return { verdict: 'rollback', reasons: [`too little traffic reached the canary in ${observation.windowSeconds} s to judge it (at least ${o.minSamples} requests or records)`], signals };
  }
  return { verdict: 'promote', reasons: [`no signal worse than the stable version's over ${observation.windowSeconds} s; judged on ${judged.map((s) => s.name).join(', ')}`], signals };
}
