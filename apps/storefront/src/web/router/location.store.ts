import { createStore } from '../state/value.store';

export interface AppLocation {
  pathname: string;
  search: string;
}

const current = (): AppLocation => ({ pathname: window.location.pathname, search: window.location.search });

/** Where the app is; pages render from it. Back and forward buttons update it too. */
export const locationStore = createStore<AppLocation>(current());

window.addEventListener('popstate', () => locationStore.set(current()));

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, window.location.origin);
  if (url.origin !== window.location.origin) {
    window.location.assign(href);
    return;
  }
  const target = `${url.pathname}${url.search}`;
  if (target !== `${window.location.pathname}${window.location.search}`) {
    if (options.replace) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
  }
  locationStore.set(current());
}
