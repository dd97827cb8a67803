import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UNREACHABLE } from '../../api/api-client';

interface Paged<T> {
  items: T[];
  nextCursor: string | null;
  /** First page not there yet. */
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
}

/**
 * A keyset-paged list (`{items, nextCursor}`): the first page when `deps`
 * change, more on demand. Answers for an older `deps` are dropped.
 */
export function usePaged<T>(loadPage: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, deps: unknown[]) {
  const [state, setState] = useState<Paged<T>>({ items: [], nextCursor: null, loading: true, loadingMore: false, error: null });
  const generation = useRef(0);
  const asError = (err: unknown) => (err instanceof ApiError ? err : new ApiError({ ...UNREACHABLE, detail: String(err) }));

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((prev) => ({ ...prev, loading: true, error: null }));
    loadPage().then(
      (page) => mine === generation.current && setState({ items: page.items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null }),
      (err: unknown) => mine === generation.current && setState((prev) => ({ ...prev, loading: false, error: asError(err) })),
    );
  }, deps);

  useEffect(() => {
    reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  const current = useRef(state);
  current.current = state;
  const more = useCallback(() => {
    const { nextCursor, loadingMore } = current.current;
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setState((prev) => ({ ...prev, loadingMore: true, error: null }));
    loadPage(nextCursor).then(
      (page) =>
        mine === generation.current &&
        setState((prev) => ({ ...prev, items: [...prev.items, ...page.items], nextCursor: page.nextCursor, loadingMore: false })),
      (err: unknown) => mine === generation.current && setState((prev) => ({ ...prev, loadingMore: false, error: asError(err) })),
    );
  }, [reload]);

  return { ...state, reload, more };
}
