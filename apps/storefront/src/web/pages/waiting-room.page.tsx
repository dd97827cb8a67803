import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, unwrap, type WaitingRoomTicket } from '../../api/api-client';
import { PageTitle } from '../components/page-title.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { Link } from '../router/link.component';
import { navigate } from '../router/location.store';
import { api } from '../shop.api';

/** After an error, the page looks again this soon; otherwise when the shop says (its Retry-After, shorter as the turn nears). */
const RETRY_MS = 2_000;

const ENDED: Record<'EXPIRED' | 'LEFT' | 'FAILED', string> = {
  EXPIRED: 'Your place in line expired because this page was closed for too long. Your order was not placed.',
  LEFT: 'You left the line. Your order was not placed.',
  FAILED: 'Your turn came, but the order could not be placed.',
};

/**
 * `/waiting-room/:ticketId`: while the shop is busy, a checkout waits in line
 * here. It shows the customer's place and an honest estimate, follows the
 * line by itself (each look also keeps the place), and opens the order page
 * once the order is placed; nothing needs to be submitted again.
 */
export function WaitingRoomPage({ ticketId }: { ticketId: string }) {
  const [ticket, setTicket] = useState<WaitingRoomTicket | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const look = () => {
      unwrap(api.GET('/api/waiting-room/tickets/{id}', { params: { path: { id: ticketId } } })).then(
        (next) => {
          if (!live) return;
          setTicket(next);
          setError(null);
          if (next.status === 'ADMITTED' && next.orderId) return navigate(`/orders/${next.orderId}`, { replace: true });
          if (next.status === 'WAITING') timer.current = setTimeout(look, (next.retryAfterSeconds ?? 1) * 1000);
        },
        (err: unknown) => {
          if (!live) return;
          setError(err as ApiError);
          timer.current = setTimeout(look, RETRY_MS);
        },
      );
    };
    look();
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [ticketId]);

  async function leave() {
    try {
      setTicket(await unwrap(api.DELETE('/api/waiting-room/tickets/{id}', { params: { path: { id: ticketId } } })));
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <section class="narrow">
      <PageTitle>You are in line</PageTitle>
      {error ? <ProblemAlert error={error} title="The line could not be read" /> : null}
      {!ticket ? <p aria-busy="true">Finding your place…</p> : null}
      {ticket?.status === 'WAITING' ? (
        <div class="stack" aria-live="polite">
          <p>
            The shop is very busy, so orders are taken in turn. Keep this page open: your order is placed by itself when your turn comes.
          </p>
          <p class="queue-place">
            You are number <strong data-testid="queue-position">{ticket.position}</strong> in line,{' '}
            <span data-testid="queue-wait">about {ticket.estimatedWaitSeconds} seconds</span>.
          </p>
          <div>
            <button type="button" class="secondary" onClick={() => void leave()}>
              Leave the line
            </button>
          </div>
        </div>
      ) : null}
      {ticket && ticket.status !== 'WAITING' && ticket.status !== 'ADMITTED' ? (
        <div class="stack" role="status">
          <p data-testid="queue-ended">{ENDED[ticket.status]}</p>
          {ticket.problem ? <p class="muted">{ticket.problem.detail}</p> : null}
          <p>
            <Link href="/">Back to the shop</Link>
          </p>
        </div>
      ) : null}
    </section>
  );
}
