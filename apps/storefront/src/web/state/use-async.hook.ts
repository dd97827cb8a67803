import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UNREACHABLE } from '../../api/api-client';

export type AsyncState<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: ApiError };

/**
 * Loads data for a page: re-runs when `deps` change, ignores answers that
 * arrive after a newer load started, and keeps the last data while reloading
 * so a refresh does not blank the page.
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> & { reload(): void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((prev) => ({ status: 'loading', data: prev.data }));
    load().then(
      (data) => {
        if (mine === generation.current) setState({ status: 'ok', data });
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        const error = err instanceof ApiError ? err : new ApiError({ ...UNREACHABLE, detail: err instanceof Error ? err.message : String(err) });
        setState((prev) => ({ status: 'error', data: prev.data, error }));
      },
    );
  }, deps);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  return { ...state, reload: run };
}
