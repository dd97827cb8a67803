import { createStore } from './value.store';

export interface UiConfig {
  /** The trace UI orders link to; null where the platform runs without one. */
  traceUiUrl: string | null;
}

/** What the storefront's server says the pages may link to (`/ui-config.json`), read once per page load. */
export const uiConfigStore = createStore<UiConfig>({ traceUiUrl: null });

let loading: Promise<void> | undefined;

export function loadUiConfig(): Promise<void> {
  loading ??= fetch('/ui-config.json')
    .then((res) => (res.ok ? (res.json() as Promise<UiConfig>) : { traceUiUrl: null }))
    .then((config) => uiConfigStore.set({ traceUiUrl: typeof config.traceUiUrl === 'string' ? config.traceUiUrl : null }))
    // No config: no links, the rest of the page is unaffected.
    .catch(() => undefined);
  return loading;
}
