import { createApi } from '../../api/api-client';
import { parseSession, type Session } from '../session/session.model';
import { createStore } from '../state/value.store';

/**
 * The operator's admin token, apart from the customer's session: one browser
 * can shop as a customer and run the console at the same time. Kept in this
 * tab's sessionStorage, not localStorage: it ends with the tab, and no other
 * page of the origin (another tab, the API docs an ingress may serve beside
 * the shop) can read it.
 */
const KEY = 'shop.operator';

function read(): Session | null {
  try {
    return parseSession(window.sessionStorage.getItem(KEY), Date.now());
  } catch {
    return null;
  }
}

export const operatorStore = createStore<Session | null>(read());
/** Set when the gateway refused the stored admin token: the console says why. */
export const operatorExpiredStore = createStore(false);

export function operatorSignedIn(session: Session): void {
  window.sessionStorage.setItem(KEY, JSON.stringify(session));
  operatorExpiredStore.set(false);
  operatorStore.set(session);
}

export function operatorSignOut(): void {
  window.sessionStorage.removeItem(KEY);
  operatorStore.set(null);
}

/** The console's client: the same contract, with the operator's token. */
export const adminApi = createApi({
  token() {
    const session = operatorStore.get();
    if (session && session.expiresAt <= Date.now()) {
      operatorSignOut();
      return null;
    }
    return session?.accessToken ?? null;
  },
  expired() {
    operatorSignOut();
    operatorExpiredStore.set(true);
  },
});
