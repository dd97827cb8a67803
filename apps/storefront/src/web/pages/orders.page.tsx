import { unwrap } from '../../api/api-client';
import { PageTitle } from '../components/page-title.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { SignInForm } from '../components/sign-in-form.component';
import { formatDateTime, formatMoney } from '../format/money.format';
import { STATUS_LABELS } from '../format/status.labels';
import { Link } from '../router/link.component';
import { sessionStore } from '../session/session.store';
import { usePaged } from '../state/use-paged.hook';
import { useStore } from '../state/use-store.hook';
import { api } from '../shop.api';

function OrderList({ customerId }: { customerId: string }) {
  const orders = usePaged((cursor) => unwrap(api.GET('/api/orders', { params: { query: { limit: 20, cursor } } })), [customerId]);
  return (
    <>
      {orders.error ? <ProblemAlert error={orders.error} title="Your orders could not be loaded" onRetry={orders.reload} /> : null}
      {orders.loading ? <p role="status">Loading your orders…</p> : null}
      {!orders.loading && !orders.error && orders.items.length === 0 ? (
        <p>
          No orders yet. <Link href="/">Find something you like</Link>.
        </p>
      ) : null}
      <ul class="order-list">
        {orders.items.map((order) => (
          <li key={order.id} class="card order-row" data-testid="order-row">
            <Link href={`/orders/${order.id}`}>Order {order.id.slice(0, 8)}</Link>
            <span class={`status status-${order.status.toLowerCase()}`}>{STATUS_LABELS[order.status]}</span>
            <span>
              {order.items.reduce((n, i) => n + i.quantity, 0)} item{order.items.reduce((n, i) => n + i.quantity, 0) === 1 ? '' : 's'} ·{' '}
              {formatMoney(order.totalCents, order.currency)}
            </span>
            <time class="muted" dateTime={order.createdAt}>
              {formatDateTime(order.createdAt)}
            </time>
          </li>
        ))}
      </ul>
      {orders.nextCursor ? (
        <button type="button" class="button-secondary" onClick={orders.more} disabled={orders.loadingMore}>
          {orders.loadingMore ? 'Loading…' : 'Show older orders'}
        </button>
      ) : null}
    </>
  );
}

/** `/orders`: the signed-in customer's orders, newest first. */
export function OrdersPage() {
  const session = useStore(sessionStore);
  return (
    <section>
      <PageTitle>Your orders</PageTitle>
      {session ? (
        <OrderList customerId={session.customerId} />
      ) : (
        <div class="narrow">
          <p>Sign in to see your orders.</p>
          <SignInForm />
        </div>
      )}
    </section>
  );
}
