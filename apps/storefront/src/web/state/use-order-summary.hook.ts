import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type OrderSummary, UNREACHABLE, unwrap } from '../../api/api-client';
import { TERMINAL } from '../format/status.labels';
import { api } from '../shop.api';

const FOLLOW_MS = 1_000;
const RETRY_MS = 3_000;
/** Polls after the order settled, for a refund or a missing part that may still arrive. */
const AFTERMATH_POLLS = 30;

/** Nothing left to wait for: a final status, every part fetched, no refund under way. */
export function settled(summary: OrderSummary): boolean {
  if (!TERMINAL.has(summary.order.status) || summary.degraded.length) return false;
  return !(summary.order.status === 'CANCELLED' && summary.payment?.status === 'AUTHORIZED');
}

/**
 * Follows an order live through `GET /api/orders/:id/summary`: polled every
 * second until it is DELIVERED or CANCELLED (and its parts have caught up),
 * more slowly while the API fails, never again after a 401 or 404.
 */
export function useOrderSummary(id: string) {
  const [summary, setSummary] = useState<OrderSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);
  const afterTerminal = useRef(0);

  const poll = useCallback(async () => {
    clearTimeout(timer.current);
    let next = FOLLOW_MS;
    try {
      const fresh = await unwrap(api.GET('/api/orders/{id}/summary', { params: { path: { id } } }));
      if (!alive.current) return;
      setSummary(fresh);
      setError(null);
      if (TERMINAL.has(fresh.order.status)) afterTerminal.current++;
      if (settled(fresh) || afterTerminal.current > AFTERMATH_POLLS) return;
    } catch (err) {
      if (!alive.current) return;
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
