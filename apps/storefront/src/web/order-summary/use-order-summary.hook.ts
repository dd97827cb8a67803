import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type OrderSummary, UNREACHABLE, unwrap } from '../../api/api-client';
import { TERMINAL } from '../format/status.labels';
import { api } from '../shop.api';
import { AFTERMATH, FOLLOW, nextDelay, RETRY, summaryFingerprint } from './poll-backoff.model';

/** A refund that never shows is not worth asking about forever (a part that is down is). */
const AFTERMATH_POLLS = 30;

/** Nothing left to wait for: a final status, every part fetched, no refund under way. */
export function settled(summary: OrderSummary): boolean {
  if (!TERMINAL.has(summary.order.status) || summary.degraded.length) return false;
  return !(summary.order.status === 'CANCELLED' && summary.payment?.status === 'AUTHORIZED');
}

/**
 * Follows an order live through `GET /api/orders/:id/summary`, with backoff
 * (poll-backoff.model.ts): every second after a change, up to every five
 * seconds while nothing moves; once DELIVERED or CANCELLED only while a part
 * is missing or a refund is under way, then not at all; longer and longer
 * waits while the API fails, never again after a 401, 403 or 404.
 */
export function useOrderSummary(id: string) {
  const [summary, setSummary] = useState<OrderSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);
  const afterTerminal = useRef(0);
  const latest = useRef(0);
  const seen = useRef<string | undefined>(undefined);
  const wait = useRef<number | undefined>(undefined);
  const failing = useRef<number | undefined>(undefined);

  const poll = useCallback(async () => {
    clearTimeout(timer.current);
    // A refresh while a poll is in flight supersedes it: one loop, never two.
    const mine = ++latest.current;
    let next: number;
    try {
      const fresh = await unwrap(api.GET('/api/orders/{id}/summary', { params: { path: { id } } }));
      if (!alive.current || mine !== latest.current) return;
      setSummary(fresh);
      setError(null);
      failing.current = undefined;
      if (settled(fresh)) return;
      const fingerprint = summaryFingerprint(fresh);
      const changed = fingerprint !== seen.current;
      seen.current = fingerprint;
      if (TERMINAL.has(fresh.order.status)) {
        if (++afterTerminal.current > AFTERMATH_POLLS && !fresh.degraded.length) return;
        next = wait.current = nextDelay(wait.current, changed, AFTERMATH);
      } else next = wait.current = nextDelay(wait.current, changed, FOLLOW);
    } catch (err) {
      if (!alive.current || mine !== latest.current) return;
      const apiError = err instanceof ApiError ? err : new ApiError(UNREACHABLE);
      setError(apiError);
      if (apiError.status === 401 || apiError.status === 403 || apiError.status === 404) return;
      next = failing.current = nextDelay(failing.current, false, RETRY);
    }
    timer.current = setTimeout(() => void poll(), next);
  }, [id]);

  /** After the customer acted (a cancel, a review): ask now and follow closely again. */
  const refresh = useCallback(() => {
    wait.current = undefined;
    failing.current = undefined;
    return poll();
  }, [poll]);

  useEffect(() => {
    alive.current = true;
    afterTerminal.current = 0;
    seen.current = undefined;
    wait.current = undefined;
    failing.current = undefined;
    setSummary(null);
    setError(null);
    void poll();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [poll]);

  return { summary, error, refresh };
}
