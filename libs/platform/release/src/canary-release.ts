import { ConfidenceOptions, DEFAULT_CONFIDENCE, judge, Judgement, Signal, TrackCalls } from './confidence-check';
import { between, InstanceSample, readInstance } from './instance-signals';

/**
 * Where the instances of a service run and how to change them: the local
 * platform (npm start's supervisor), the tests' platform, a cluster. The
 * canary is the new build beside the stable one, in the same consumer groups
 * (so it takes a share of the partitions), labelled by its version and
 * track in its metrics and traces.
 */
export interface InstanceSupervisor {
  /** The stable instance's base URL (its /metrics). */
  stableUrl(service: string): Promise<string>;
  /** Starts the new build beside the stable one; resolves with its base URL once it is ready. */
  startCanary(service: string): Promise<string>;
  /** Stops the canary gracefully (it finishes its batches and leaves its consumer groups). */
  stopCanary(service: string): Promise<void>;
  /** Replaces the stable instance with the new build, and resolves once it is ready. */
  promote(service: string): Promise<void>;
}

/** The gateway's release routes (docs/releases.md), as the release tool uses them. */
export interface GatewayReleases {
  setCanary(service: string, canary: { url: string; weight: number; version: string }): Promise<void>;
  clearCanary(service: string): Promise<void>;
  calls(service: string): Promise<{ stable: TrackCalls; canary: TrackCalls } | undefined>;
  report(service: string, report: ReleaseReport): Promise<void>;
}

export type ReleasePhase = 'judging' | 'promoting' | 'promoted' | 'rolling-back' | 'rolled-back' | 'failed';

/** What the console shows of a release (the gateway keeps the last one per service). */
export interface ReleaseReport {
  version: string;
  stableVersion?: string;
  phase: ReleasePhase;
  weight: number;
  startedAt: string;
  windowSeconds: number;
  elapsedSeconds: number;
  verdict?: 'promote' | 'rollback';
  reasons: string[];
  signals: Array<Omit<Signal, 'traffic'>>;
}

export interface CanaryReleaseOptions {
  service: string;
  version: string;
  stableVersion?: string;
  supervisor: InstanceSupervisor;
  gateway: GatewayReleases;
  /** Percent of the gateway's calls to the service the canary takes while it is judged. */
  weight: number;
  /** How long the canary is judged before it can be promoted (a bad one is rolled back as soon as it shows). */
  windowMs: number;
  /**
   * How long the canary takes traffic before it is judged at all: a process just started answers its first
   * requests slowly (code not yet optimised, statements not yet prepared), which says nothing about the build.
   * A quarter of the window, at most 15 s, by default.
   */
  warmupMs?: number;
  /** How often the signals are read and judged. */
  pollMs?: number;
  confidence?: ConfidenceOptions;
  log?: (line: string) => void;
  /** Ends the judging early (Ctrl-C): the canary is rolled back. */
  signal?: AbortSignal;
}

export interface ReleaseOutcome {
  verdict: 'promote' | 'rollback';
  reasons: string[];
  report: ReleaseReport;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * One canary release: the new build started beside the stable one, a share
 * of the gateway's calls sent to it, both judged by the confidence check over
 * the window from the same starting point, then promoted (every call to the
 * canary while the stable instance is replaced with the new build, then the
 * canary removed) or rolled back (no call to the canary, then the canary
 * stopped), on its own, with the reasons. Every step is reported to the
 * gateway, for the console.
 */
export async function runCanaryRelease(options: CanaryReleaseOptions): Promise<ReleaseOutcome> {
  const { service, version, supervisor, gateway, weight, windowMs } = options;
  const pollMs = options.pollMs ?? 2_000;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const report: ReleaseReport = {
    version,
    stableVersion: options.stableVersion,
    phase: 'judging',
    weight,
    startedAt: new Date(started).toISOString(),
    windowSeconds: Math.round(windowMs / 1000),
    elapsedSeconds: 0,
    reasons: [],
    signals: [],
  };
  const publish = async (change: Partial<ReleaseReport>) => {
    Object.assign(report, change, { elapsedSeconds: Math.round((Date.now() - started) / 100) / 10 });
    await gateway.report(service, report).catch((err: Error) => log(`release: the gateway did not take the report (${err.message}); carrying on`));
  };
  let canaryStarted = false;
  let routed = false;
  let promoting = false;
  const rollBack = async (reasons: string[], phase: 'rolled-back' | 'failed' = 'rolled-back') => {
    await publish({ phase: 'rolling-back', verdict: 'rollback', reasons });
    if (routed) await gateway.clearCanary(service);
    if (canaryStarted) await supervisor.stopCanary(service);
    await publish({ phase });
    log(`release: ${service} ${version} rolled back: ${reasons.join('; ')}`);
  };

  try {
    await publish({});
    log(`release: starting ${service} ${version} as a canary beside the stable instance`);
    const stableUrl = await supervisor.stableUrl(service);
    const canaryUrl = await supervisor.startCanary(service);
    canaryStarted = true;
    await gateway.setCanary(service, { url: canaryUrl, weight, version });
    routed = true;
    const warmupMs = options.warmupMs ?? Math.min(15_000, windowMs / 4);
    log(`release: the canary takes ${weight}% of the gateway's calls to ${service} and a share of its partitions; warming up for ${Math.round(warmupMs / 1000)} s`);
    await publish({ reasons: [`warming up for ${Math.round(warmupMs / 1000)} s before it is judged`] });
    await sleep(warmupMs, options.signal);
    // Both instances are judged from here, over the same stretch of time.
    const judgingFrom = Date.now();
    const baseline = await Promise.all([readInstance(stableUrl), readInstance(canaryUrl)]);
    log(`release: judging for ${Math.round(windowMs / 1000)} s`);

    let judgement: Judgement;
    for (;;) {
      await sleep(pollMs, options.signal);
      const now = await Promise.all([readInstance(stableUrl), readInstance(canaryUrl)]);
      const [stable, canary]: InstanceSample[] = [between(baseline[0], now[0]), between(baseline[1], now[1])];
      const windowOver = Date.now() - judgingFrom >= windowMs;
      judgement = judge({ stable, canary, gateway: await gateway.calls(service), windowOver, windowSeconds: report.windowSeconds }, options.confidence ?? DEFAULT_CONFIDENCE);
      if (options.signal?.aborted) judgement = { ...judgement, verdict: 'rollback', reasons: ['the release was stopped by hand'] };
      await publish({ signals: judgement.signals.map(({ traffic: _traffic, ...signal }) => signal), reasons: judgement.reasons });
      if (judgement.verdict !== 'continue') break;
    }

    if (judgement.verdict === 'rollback') {
      await rollBack(judgement.reasons);
      return { verdict: 'rollback', reasons: judgement.reasons, report: { ...report } };
    }
    promoting = true;
    await publish({ phase: 'promoting', verdict: 'promote', reasons: judgement.reasons });
    log(`release: ${service} ${version} promoted: ${judgement.reasons.join('; ')}`);
    // Every call to the canary while the stable instance is replaced: none meets an instance that is stopping.
    await gateway.setCanary(service, { url: canaryUrl, weight: 100, version });
    await supervisor.promote(service);
    await gateway.clearCanary(service);
    routed = false;
    await supervisor.stopCanary(service);
    canaryStarted = false;
    await publish({ phase: 'promoted', stableVersion: version });
    log(`release: ${service} now runs ${version}`);
    return { verdict: 'promote', reasons: judgement.reasons, report: { ...report } };
  } catch (err) {
    const reason = `the release failed: ${(err as Error).message}`;
    if (promoting) {
      // The stable instance may be gone already: the canary, the new build that passed, keeps serving; an operator decides.
      await publish({ phase: 'failed', reasons: [reason, 'the canary keeps taking every call until an operator acts'] });
    } else {
      await rollBack([reason], 'failed').catch((again: Error) => log(`release: rolling back failed too: ${again.message}`));
    }
    throw err;
  }
}
