import type { Order, OrderStatus } from '../../api/api-client';
import { formatDateTime } from '../format/money.format';
import { STATUS_LABELS } from '../format/status.labels';

const HAPPY_PATH: OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'];

/** The order's history with times, then the steps still to come (none once it is cancelled). */
export function OrderTimeline({ order }: { order: Order }) {
  const seen = new Set(order.history.map((h) => h.status));
  const upcoming = order.status === 'CANCELLED' ? [] : HAPPY_PATH.filter((status) => !seen.has(status));
  return (
    <ol class="timeline" aria-label="Order history">
      {order.history.map((entry) => (
        <li key={`${entry.status}-${entry.at}`} class={`timeline-step timeline-done${entry.status === 'CANCELLED' ? ' timeline-cancelled' : ''}`} data-testid="timeline-step">
          <span class="timeline-label">{STATUS_LABELS[entry.status]}</span>{' '}
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          {entry.note ? <span class="timeline-note muted"> — {entry.note}</span> : null}
        </li>
      ))}
      {upcoming.map((status) => (
        <li key={status} class="timeline-step timeline-upcoming">
          <span class="timeline-label">{STATUS_LABELS[status]}</span> <span class="muted">(not yet)</span>
        </li>
      ))}
    </ol>
  );
}
