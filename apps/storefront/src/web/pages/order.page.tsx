import { useState } from 'preact/hooks';
import { ApiError, type OrderSummary, type Review, unwrap } from '../../api/api-client';
import { OrderTimeline } from '../components/order-timeline.component';
import { TraceLink } from '../components/trace-link.component';
import { PageTitle } from '../components/page-title.component';
import { ProblemAlert } from '../components/problem-alert.component';
import { ReviewForm } from '../components/review-form.component';
import { formatMoney } from '../format/money.format';
import { CANCEL_REASONS, CANCELLABLE, CANCELLATION_OUTCOMES, listOf, STATUS_LABELS } from '../format/status.labels';
import { Link } from '../router/link.component';
import { useOrderSummary } from '../order-summary/use-order-summary.hook';
import { api } from '../shop.api';

function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A part of the summary the gateway could not fetch: said so, never shown as "none". */
function Unavailable({ part }: { part: string }) {
  return (
    <dd class="muted part-degraded" data-testid={`${part}-degraded`}>
      Not available right now
    </dd>
  );
}

function PaymentLine({ summary }: { summary: OrderSummary }) {
  if (summary.degraded.includes('payment')) return <Unavailable part="payment" />;
  if (!summary.payment) return <dd>Not charged yet</dd>;
  const { status, amountCents, currency } = summary.payment;
  const label = { AUTHORIZED: 'Paid', DECLINED: 'Declined', REFUNDED: 'Refunded' }[status];
  return <dd data-testid="payment-status">{`${label} · ${formatMoney(amountCents, currency)}`}</dd>;
}

function DeliveryLine({ summary }: { summary: OrderSummary }) {
  if (summary.degraded.includes('delivery')) return <Unavailable part="delivery" />;
  if (!summary.delivery) return <dd>Not scheduled yet</dd>;
  const label = { SCHEDULED: 'Scheduled', DISPATCHED: 'On its way', DELIVERED: 'Delivered', CANCELLED: 'Cancelled' }[summary.delivery.status];
  return <dd data-testid="delivery-status">{label}</dd>;
}

function ReviewsLine({ summary }: { summary: OrderSummary }) {
  if (summary.degraded.includes('reviews')) return <Unavailable part="reviews" />;
  if (summary.order.status !== 'DELIVERED') return <dd>Possible once it is delivered</dd>;
  const reviewed = new Set(summary.reviews.map((r) => r.productId));
  const count = summary.order.items.filter((item) => reviewed.has(item.productId)).length;
  return <dd data-testid="reviews-status">{`${count} of ${summary.order.items.length} reviewed`}</dd>;
}

/** `/orders/:id`: the order followed live, its timeline, cancel before dispatch, reviews after delivery. */
export function OrderPage({ id }: { id: string }) {
  const { summary, error, refresh } = useOrderSummary(id);
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [written, setWritten] = useState<Review[]>([]);

  if (!summary) {
    return (
      <section>
        <PageTitle title="Your order">Order {shortId(id)}</PageTitle>
        {error ? <ProblemAlert error={error} title="This order could not be loaded" onRetry={() => void refresh()} /> : <p role="status">Loading your order…</p>}
        <p>
          <Link href="/orders">All your orders</Link>
        </p>
      </section>
    );
  }
  const { order } = summary;

  async function cancel() {
    setCancelling(true);
    setActionError(null);
    try {
      await unwrap(api.POST('/api/orders/{id}/cancel', { params: { path: { id } } }));
    } catch (err) {
      setActionError(err as ApiError);
    }
    setCancelling(false);
    void refresh();
  }

  const reviews = [...summary.reviews, ...written.filter((w) => !summary.reviews.some((r) => r.id === w.id))];
  const reviewed = new Map(reviews.map((r) => [r.productId, r]));

  return (
    <article class="order">
      <p class="breadcrumb">
        <Link href="/orders">Your orders</Link> / <span aria-current="page">Order {shortId(order.id)}</span>
      </p>
      <PageTitle title="Your order">Order {shortId(order.id)}</PageTitle>

      <div class="status-box card" aria-live="polite">
        <p class="status-line">
          Status: <strong class={`status status-${order.status.toLowerCase()}`} data-testid="order-status">{STATUS_LABELS[order.status]}</strong>
        </p>
        {order.status === 'CANCELLED' && order.cancelReason ? (
          <p class="cancel-reason" data-testid="cancel-reason">
            {CANCEL_REASONS[order.cancelReason]}
          </p>
        ) : null}
        {order.cancellation && order.cancellation.outcome !== 'ACCEPTED' ? (
          <p class="cancel-reason" data-testid="cancellation">
            {CANCELLATION_OUTCOMES[order.cancellation.outcome]}
          </p>
        ) : null}
      </div>

      {summary.degraded.length ? (
        <p class="notice" role="status" data-testid="degraded">
          Some details of this order are not available right now: {listOf(summary.degraded)}. This page keeps trying.
        </p>
      ) : null}
      {error ? <ProblemAlert error={error} title="The latest status could not be loaded" /> : null}
      {actionError ? <ProblemAlert error={actionError} title="The order was not cancelled" focus /> : null}

      {CANCELLABLE.has(order.status) && !order.cancellation ? (
        <p>
          <button type="button" class="button-danger" onClick={cancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel this order'}
          </button>{' '}
          <span class="hint">Possible until it is dispatched.</span>
        </p>
      ) : null}

      <div class="order-layout">
        <section aria-labelledby="history-title">
          <h2 id="history-title">Progress</h2>
          <OrderTimeline order={order} />
          <p>
            <TraceLink orderId={order.id} placedAt={order.createdAt} />
          </p>
        </section>

        <section aria-labelledby="details-title" class="stack">
          <h2 id="details-title">Details</h2>
          <ul class="summary-lines">
            {order.items.map((item) => (
              <li key={item.productId}>
                <span>
                  {item.quantity} × <Link href={`/products/${item.productId}`}>{item.name}</Link>
                </span>
                <span>{formatMoney(item.unitPriceCents * item.quantity, order.currency)}</span>
              </li>
            ))}
          </ul>
          <p class="total">Total: {formatMoney(order.totalCents, order.currency)}</p>
          <dl class="facts">
            <dt>Payment</dt>
            <PaymentLine summary={summary} />
            <dt>Delivery</dt>
            <DeliveryLine summary={summary} />
            <dt>Reviews</dt>
            <ReviewsLine summary={summary} />
            <dt>Ship to</dt>
            <dd>
              {order.shippingAddress.name}, {order.shippingAddress.line1}, {order.shippingAddress.postalCode} {order.shippingAddress.city},{' '}
              {order.shippingAddress.country}
            </dd>
          </dl>
        </section>
      </div>

      {order.status === 'DELIVERED' ? (
        <section aria-labelledby="review-title" class="stack">
          <h2 id="review-title">Review your items</h2>
          {summary.degraded.includes('reviews') ? <p class="muted">Your earlier reviews cannot be shown right now.</p> : null}
          {order.items.map((item) => {
            const review = reviewed.get(item.productId);
            return review ? (
              <p key={item.productId} class="card" data-testid="reviewed">
                You rated <Link href={`/products/${item.productId}`}>{item.name}</Link> {review.rating} out of 5. Thank you!
              </p>
            ) : (
              <ReviewForm
                key={item.productId}
                orderId={order.id}
                productId={item.productId}
                productName={item.name}
                onReviewed={(r) => {
                  setWritten((prev) => [...prev, r]);
                  void refresh();
                }}
              />
            );
          })}
        </section>
      ) : null}
    </article>
  );
}
