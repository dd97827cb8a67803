import { createStore } from '../state/value.store';
import { parseSession, type Session } from './session.model';

const KEY = 'shop.session';

function read(): Session | null {
  try {
    return parseSession(window.localStorage.getItem(KEY), Date.now());
  } catch {
    return null;
  }
}

export const sessionStore = createStore<Session | null>(read());

/** Set when the API refused the stored token: the sign-in page says why. */
export const sessionExpiredStore = createStore(false);

export function signedIn(session: Session): void {
  window.localStorage.setItem(KEY, JSON.stringify(session));
  sessionExpiredStore.set(false);
  sessionStore.set(session);
}

export function signOut(): void {
  window.localStorage.removeItem(KEY);
  sessionStore.set(null);
}

export function currentToken(): string | null {
  const session = sessionStore.get();
  if (session && session.expiresAt <= Date.now()) {
    signOut();
    return null;
  }
  return session?.accessToken ?? null;
}

// Signing in or out in another tab applies here too.
window.addEventListener('storage', (event) => {
  if (event.key === KEY || event.key === null) sessionStore.set(read());
});
