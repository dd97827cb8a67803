import { useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../api/api-client';
import { BreakersPanel } from '../admin/breakers.panel';
import { ChartsPanel } from '../admin/charts.panel';
import { DeadLettersPanel } from '../admin/dead-letters.panel';
import { MessagingPanel } from '../admin/messaging.panel';
import { OperationsPanel } from '../admin/operations.panel';
import { ReleasesPanel } from '../admin/releases.panel';
import { ServiceMapPanel } from '../admin/service-map.panel';
import { WaitingRoomPanel } from '../admin/waiting-room.panel';
import { adminApi, operatorExpiredStore, operatorSignedIn, operatorSignOut, operatorStore } from '../admin/operator.store';
import { PageTitle } from '../components/page-title.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { newSession } from '../session/session.model';
import { useStore } from '../state/use-store.hook';

/** How often the panels read the gateway again; the charts, an hour wide, less often. */
const REFRESH_MS = 3_000;
const CHARTS_REFRESH_MS = 15_000;

function OperatorSignIn() {
  const expired = useStore(operatorExpiredStore);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const id = name.trim();
    if (!id || busy) return;
    setBusy(true);
    setError(null);
    try {
      const token = await unwrap(adminApi.POST('/api/auth/token', { body: { customerId: id, role: 'admin' } }));
      operatorSignedIn(newSession(id, token.accessToken, token.expiresIn, Date.now()));
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  }

  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Operator sign-in">
      {expired ? (
        <p class="notice" role="status">
          The gateway no longer accepts your admin token. Please sign in again.
        </p>
      ) : null}
      <div class="field">
        <label for="operator-id">Operator name</label>
        <input id="operator-id" required maxLength={200} value={name} autoComplete="username" onInput={(e) => setName(e.currentTarget.value)} aria-describedby="operator-hint" />
        <p id="operator-hint" class="hint">
          The console needs an admin token; this demo shop's gateway issues one for any name.
        </p>
      </div>
      {error ? <ProblemAlert error={error} title="You are not signed in as an operator" focus /> : null}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in as operator'}
        </button>
      </div>
    </form>
  );
}

/**
 * `/admin`: the operator console, over the gateway's public admin routes
 * only: the last hour's charts, breakers, canary releases and their verdicts, outbox backlog and
 * consumer lag per service, dead letters and their replay, republish, read-model rebuilds, the
 * courier by hand.
 */
export function AdminPage() {
  const operator = useStore(operatorStore);
  return (
    <section class="console">
      <PageTitle title="Operator console">Operator console</PageTitle>
      {operator ? (
        <>
          <p class="console-who">
            Signed in as operator <strong data-testid="operator">{operator.customerId}</strong>.{' '}
            <button type="button" class="button-link" onClick={operatorSignOut}>
              Leave the console
            </button>
          </p>
          <p class="hint">
            Every panel reads the gateway again every {REFRESH_MS / 1000} seconds, the charts every {CHARTS_REFRESH_MS / 1000}.
          </p>
          <ChartsPanel everyMs={CHARTS_REFRESH_MS} />
          <ServiceMapPanel everyMs={REFRESH_MS} />
          <BreakersPanel everyMs={REFRESH_MS} />
          <WaitingRoomPanel everyMs={REFRESH_MS} />
          <ReleasesPanel everyMs={REFRESH_MS} />
          <MessagingPanel everyMs={REFRESH_MS} />
          <DeadLettersPanel everyMs={REFRESH_MS} />
          <OperationsPanel />
        </>
      ) : (
        <OperatorSignIn />
      )}
    </section>
  );
}
