import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '../../api/api-client';
import { signInHref } from '../router/route.matcher';
import { Link } from '../router/link.component';

interface Props {
  error: ApiError;
  /** What was being done, e.g. "Your order was not placed". */
  title?: string;
  onRetry?: () => void;
  /** Move focus here when it appears (after a form submit), so keyboard and screen-reader users land on it. */
  focus?: boolean;
  /** Names a field path (`items.0.quantity`) the way the page shows it. */
  describePath?: (path: string) => string;
}

/** An API error as the customer should read it: the problem's `detail`, and each field at fault. */
export function ProblemAlert({ error, title, onRetry, focus, describePath = (path) => path }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [error, focus]);
  const { problem } = error;
  return (
    <div class="alert" role="alert" tabIndex={-1} ref={ref} data-testid="problem">
      {title ? <p class="alert-title">{title}</p> : null}
      <p class="alert-detail">{problem.detail}</p>
      {problem.errors?.length ? (
        <ul class="alert-errors">
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {describePath(e.path)}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="alert-actions">
        {problem.status === 401 ? <Link href={signInHref(window.location.pathname + window.location.search)}>Sign in again</Link> : null}
        {onRetry ? (
          <button type="button" class="button-secondary" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}
