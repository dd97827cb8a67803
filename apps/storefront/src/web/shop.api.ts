import { createApi } from '../api/api-client';
import { currentToken, sessionExpiredStore, signOut } from './session/session.store';

/** The one client the pages use: same origin (the storefront server proxies /api to the gateway). */
export const api = createApi({
  token: currentToken,
  expired() {
    signOut();
    sessionExpiredStore.set(true);
  },
});
