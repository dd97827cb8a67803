import { z } from 'zod';
import { UPSTREAM_NAMES } from '../upstreams/upstreams';

/** A service behind the gateway: releases are per upstream. */
export const upstreamParamSchema = z.enum(UPSTREAM_NAMES);

/** What names a build: the app's VERSION (a content hash), possibly with a suffix the release tool adds. */
const version = z.string().regex(/^[A-Za-z0-9._+-]{1,64}$/, 'letters, digits and . _ + - only, at most 64');

/** A canary instance of the upstream beside the stable one, and the share of the gateway's calls it takes. */
export const canaryBodySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** Percent of the calls to this upstream that go to the canary, 0 to 100. */
    weight: z.number().int().min(0).max(100),
    version,
  })
  .strict();
export type CanaryBody = z.infer<typeof canaryBodySchema>;

export const releasePhase = z.enum(['judging', 'promoting', 'promoted', 'rolling-back', 'rolled-back', 'failed']);
export const signalVerdict = z.enum(['ok', 'bad', 'not enough data']);

/** One signal the confidence check compared: what it saw on each track and what it made of it. */
export const releaseSignal = z
  .object({
    name: z.string().min(1).max(80),
    stable: z.string().max(200),
    canary: z.string().max(200),
    verdict: signalVerdict,
    note: z.string().max(300).optional(),
  })
  .strict();

/**
 * A release in progress or ended, as the release tool last reported it: the
 * confidence check's signals, its verdict and why. The console shows it.
 */
export const releaseReportSchema = z
  .object({
    version,
    stableVersion: version.optional(),
    phase: releasePhase,
    weight: z.number().int().min(0).max(100),
    startedAt: z.iso.datetime(),
    windowSeconds: z.number().int().min(1).max(86_400),
    elapsedSeconds: z.number().min(0).max(86_400),
    verdict: z.enum(['promote', 'rollback']).optional(),
    reasons: z.array(z.string().max(300)).max(20),
    signals: z.array(releaseSignal).max(20),
  })
  .strict();
export type ReleaseReport = z.infer<typeof releaseReportSchema>;

/** One track's calls through the gateway since the canary was set: what the breaker counted. */
export const trackView = z.object({
  url: z.string(),
  version: z.string().nullable(),
  state: z.enum(['closed', 'open', 'halfOpen']),
  calls: z.number().int(),
  failures: z.number().int(),
  timeouts: z.number().int(),
  rejected: z.number().int(),
  opened: z.number().int(),
  latencyP99Ms: z.number(),
});

export const releaseView = z.object({
  upstream: upstreamParamSchema,
  stable: trackView,
  canary: trackView.extend({ weight: z.number().int(), since: z.string() }).nullable(),
  report: releaseReportSchema.nullable(),
});
export type ReleaseView = z.infer<typeof releaseView>;
