import { useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../api/api-client';
import { newSession } from '../session/session.model';
import { signedIn } from '../session/session.store';
import { api } from '../shop.api';
import { ProblemAlert } from './problem-alert.component';

/**
 * Sign-in through the demo issuer (`POST /api/auth/token`): no password, any
 * customer name or id. Real deployments put an identity provider here.
 */
export function SignInForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const [customerId, setCustomerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const id = customerId.trim();
    if (!id || busy) return;
    setBusy(true);
    setError(null);
    try {
      const token = await unwrap(api.POST('/api/auth/token', { body: { customerId: id, role: 'customer' } }));
      signedIn(newSession(id, token.accessToken, token.expiresIn, Date.now()));
      onSignedIn?.();
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  }

  return (
    <form class="stack" onSubmit={submit} aria-label="Sign in">
      <div class="field">
        <label for="customer-id">Your name or customer id</label>
        <input
          id="customer-id"
          name="customerId"
          autoComplete="username"
          required
          maxLength={200}
          value={customerId}
          onInput={(e) => setCustomerId(e.currentTarget.value)}
          aria-describedby="customer-id-hint"
        />
        <p id="customer-id-hint" class="hint">
          A demo shop: no password. Use the same name next time to see your orders again.
        </p>
      </div>
      {error ? <ProblemAlert error={error} title="You are not signed in" focus /> : null}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
