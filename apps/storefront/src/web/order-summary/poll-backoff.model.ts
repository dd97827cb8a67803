import type { OrderSummary } from '../../api/api-client';

export interface Backoff {
  /** The wait after something changed, and the first one. */
  baseMs: number;
  maxMs: number;
  factor: number;
}

/** While the order moves: every second after a change, then less often while nothing does. */
export const FOLLOW: Backoff = { baseMs: 1_000, maxMs: 5_000, factor: 1.5 };
/** Once it is final, only a refund or a part that was down can still change. */
export const AFTERMATH: Backoff = { baseMs: 2_000, maxMs: 5_000, factor: 1.5 };
/** While the API fails: back off further, so a struggling gateway is not hammered by open pages. */
export const RETRY: Backoff = { baseMs: 2_000, maxMs: 30_000, factor: 2 };

/** The wait before the next poll: the base after a change (or at first), otherwise the last wait grown by the factor, up to the max. */
export function nextDelay(previousMs: number | undefined, changed: boolean, backoff: Backoff): number {
  if (changed || previousMs === undefined) return backoff.baseMs;
  return Math.min(backoff.maxMs, Math.max(backoff.baseMs, Math.round(previousMs * backoff.factor)));
}

/** What the page shows of a summary, as one string: two equal fingerprints mean nothing visible changed. */
export function summaryFingerprint(summary: OrderSummary): string {
  return JSON.stringify([
    summary.order.status,
    summary.order.history.length,
    summary.payment?.status ?? null,
    summary.delivery?.status ?? null,
    summary.reviews.length,
    summary.degraded,
  ]);
}
