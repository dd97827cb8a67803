import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type OrderSummary, UNREACHABLE, unwrap } from '../../api/api-client';
import { TERMINAL } from '../format/status.labels';
import { api } from '../shop.api';

const FOLLOW_MS = 1_000;
/** Once the order is final, only a refund or a missing part can still change: ask less often. */
const AFTERMATH_MS = 2_000;
const AFTERMATH_POLLS = 30;
const RETRY_MS = 3_000;

/** Nothing left to wait for: a final status, every part fetched, no refund under way. */
export function settled(summary: OrderSummary): boolean {
  if (!TERMINAL.has(summary.order.status) || summary.degraded.length) return false;
  return !(summary.order.status === 'CANCELLED' && summary.payment?.status === 'AUTHORIZED');
}

/**
 * Follows an order live through `GET /api/orders/:id/summary`: polled every
 * second until it is DELIVERED or CANCELLED, then every two seconds while a
 * part is missing or a refund is under way; more slowly while the API fails,
 * never again after a 401, 403 or 404.
 */
export function useOrderSummary(id: string) {
  const [summary, setSummary] = useState<OrderSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);
  const afterTerminal = useRef(0);
  const latest = useRef(0);

  const poll = useCallback(async () => {
    clearTimeout(timer.current);
    // A refresh while a poll is in flight supersedes it: one loop, never two.
    const mine = ++latest.current;
    let next = FOLLOW_MS;
    try {
      const fresh = await unwrap(api.GET('/api/orders/{id}/summary', { params: { path: { id } } }));
      if (!alive.current || mine !== latest.current) return;
      setSummary(fresh);
      setError(null);
      if (settled(fresh)) return;
      if (TERMINAL.has(fresh.order.status)) {
        next = AFTERMATH_MS;
        // A part that is down is worth waiting for as long as the page is open; a refund that never shows is not.
        if (++afterTerminal.current > AFTERMATH_POLLS && !fresh.degraded.length) return;
      }
    } catch (err) {
      if (!alive.current || mine !== latest.current) return;
      const apiError = err instanceof ApiError ? err : new ApiError(UNREACHABLE);
      setError(apiError);
      if (apiError.status === 401 || apiError.status === 403 || apiError.status === 404) return;
      next = RETRY_MS;
    }
    timer.current = setTimeout(() => void poll(), next);
  }, [id]);

  useEffect(() => {
    alive.current = true;
    afterTerminal.current = 0;
    setSummary(null);
    setError(null);
    void poll();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [poll]);

  return { summary, error, refresh: poll };
}
