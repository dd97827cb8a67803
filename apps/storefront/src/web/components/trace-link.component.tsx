import { useEffect } from 'preact/hooks';
import { traceSearchUrl } from '../format/trace-search.link';
import { loadUiConfig, uiConfigStore } from '../state/ui-config.store';
import { useStore } from '../state/use-store.hook';

/** Two days back when the order's own times are unknown (an id typed in the console). */
const DEFAULT_WINDOW_MS = 2 * 24 * 3600 * 1000;

/**
 * A link to the order's traces in the trace UI (Zipkin), from its placement
 * through every service; nothing where the platform runs without a trace UI.
 */
export function TraceLink({ orderId, placedAt }: { orderId: string; placedAt?: string }) {
  const { traceUiUrl } = useStore(uiConfigStore);
  useEffect(() => void loadUiConfig(), []);
  if (!traceUiUrl) return null;
  const now = Date.now();
  const fromMs = placedAt ? Date.parse(placedAt) - 60_000 : now - DEFAULT_WINDOW_MS;
  return (
    <a class="trace-link" data-testid="trace-link" href={traceSearchUrl(traceUiUrl, orderId, { fromMs, toMs: now + 60_000 })} target="_blank" rel="noopener">
      See this order's trace
    </a>
  );
}
