import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UNREACHABLE } from '../../api/api-client';

export interface Polled<T> {
  data?: T;
  error?: ApiError;
  /** When the data shown was fetched (epoch ms). */
  at?: number;
  refresh(): void;
}

/**
 * Loads now and again every `everyMs` while the page is open (the console's
 * panels). An error keeps the last data beside the problem, so an outage
 * reads as "stale since", not as a blank panel. Answers that arrive after a
 * newer load began are dropped.
 */
export function usePolled<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; at?: number }>({});
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const run = useCallback(() => {
    clearTimeout(timer.current);
    const mine = ++generation.current;
    load().then(
      (data) => {
        if (mine !== generation.current) return;
        setState({ data, at: Date.now() });
        timer.current = setTimeout(run, everyMs);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        const error = err instanceof ApiError ? err : new ApiError({ ...UNREACHABLE, detail: err instanceof Error ? err.message : String(err) });
        setState((prev) => ({ ...prev, error }));
        if (error.status !== 401 && error.status !== 403) timer.current = setTimeout(run, everyMs);
      },
    );
  }, deps);

  useEffect(() => {
    run();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, [run]);

  return { ...state, refresh: run };
}
