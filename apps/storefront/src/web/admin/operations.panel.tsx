import { useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';
import { TraceLink } from '../components/trace-link.component';
import { ConfirmAction } from './confirm-action.component';
import { count, describeCounts, isUuid, READ_MODELS } from './console.model';
import { adminApi } from './operator.store';

type Delivery = { id: string; orderId: string; status: 'SCHEDULED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED'; updatedAt: string };
const NEXT_STEP: Partial<Record<Delivery['status'], string>> = { SCHEDULED: 'dispatch it', DISPATCHED: 'mark it delivered' };

/** An order id typed by the operator: checked before any call, so a typo is said at once. */
function OrderIdField({ id, value, onInput, label }: { id: string; value: string; onInput: (v: string) => void; label: string }) {
  const bad = value.trim() !== '' && !isUuid(value);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        spellcheck={false}
        autoComplete="off"
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {bad ? (
        <p id={`${id}-error`} class="field-error">
          An order id looks like 0b6f5c1e-…: 36 characters.
        </p>
      ) : null}
    </div>
  );
}

function RepublishOrder() {
  const [orderId, setOrderId] = useState('');
  const id = orderId.trim();
  return (
    <div class="card stack">
      <h3 class="console-card-title">Republish an order's events</h3>
      <p class="hint">The order service sends the order's events again from its outbox history; every consumer skips what it already applied.</p>
      <OrderIdField id="republish-order" label="Order id" value={orderId} onInput={setOrderId} />
      <ConfirmAction
        label="Republish"
        name="Republish the order's events"
        disabled={!isUuid(id)}
        question={`Republish every event of order ${id.slice(0, 8)}?`}
        run={async () => {
          const { republished } = await unwrap(adminApi.POST('/api/admin/events/republish', { body: { service: 'order', aggregateId: id } }));
          return `Republished ${count(republished, 'event')} of order ${id.slice(0, 8)}.`;
        }}
      />
    </div>
  );
}

function RebuildReadModels() {
  return (
    <div class="card stack">
      <h3 class="console-card-title">Rebuild a read model</h3>
      <p class="hint">Reads the source topic from the start and fills in what the read model misses or has older.</p>
      {READ_MODELS.map((model) => (
        <div key={model.name} class="stack">
          <p class="read-model-name">{model.label}</p>
          <ConfirmAction
            label="Rebuild"
            name={`Rebuild ${model.label}`}
            question={`Rebuild the ${model.label.toLowerCase()} (${model.service} service) from its topic?`}
            run={async () => {
              const counts = await unwrap(adminApi.POST('/api/admin/read-models/{name}/rebuild', { params: { path: { name: model.name } }, body: { source: 'topic' } }));
              return `Rebuilt: ${describeCounts(counts)}.`;
            }}
          />
        </div>
      ))}
    </div>
  );
}

function CourierStep() {
  const [orderId, setOrderId] = useState('');
  const [delivery, setDelivery] = useState<Delivery | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const id = orderId.trim();

  async function find(event?: Event) {
    event?.preventDefault();
    if (!isUuid(id)) return;
    setError(null);
    try {
      const list = await unwrap(adminApi.GET('/api/deliveries', { params: { query: { orderId: id } } }));
      setDelivery(list[0] ?? null);
    } catch (err) {
      setDelivery(undefined);
      setError(err as ApiError);
    }
  }

  const next = delivery ? NEXT_STEP[delivery.status] : undefined;
  return (
    <div class="card stack">
      <h3 class="console-card-title">Courier</h3>
      <p class="hint">Moves a parcel to its next step by hand, as the simulated courier would after its delay.</p>
      <form class="stack" onSubmit={find} aria-label="Find a delivery">
        <OrderIdField
          id="courier-order"
          label="Order id"
          value={orderId}
          onInput={(v) => {
            setOrderId(v);
            setDelivery(undefined);
          }}
        />
        <div>
          <button type="submit" class="button-secondary" disabled={!isUuid(id)}>
            Find its delivery
          </button>
        </div>
      </form>
      {error ? <ProblemAlert error={error} title="The delivery could not be read" /> : null}
      {delivery === null ? <p role="status">No delivery for this order (yet): it is made once the payment is confirmed.</p> : null}
      {delivery ? (
        <>
          <p role="status">
            Delivery {delivery.id.slice(0, 8)}: <strong data-testid="courier-delivery-status">{delivery.status}</strong>{' '}
            <TraceLink orderId={delivery.orderId} />
          </p>
          {/* Rendered at the last step too (disabled), so the result of the step that got there stays on the page. */}
          <ConfirmAction
            label={next ? `Advance: ${next}` : 'No further step'}
            name="Advance the delivery"
            disabled={!next}
            question={`Advance delivery ${delivery.id.slice(0, 8)} from ${delivery.status}: ${next}?`}
            run={async () => {
              const moved = await unwrap(adminApi.POST('/api/admin/deliveries/{id}/advance', { params: { path: { id: delivery.id } } }));
              setDelivery(moved);
              return `Delivery ${moved.id.slice(0, 8)} is now ${moved.status}.`;
            }}
          />
        </>
      ) : null}
    </div>
  );
}

/** The operator's levers: republish, rebuild, and the courier by hand. */
export function OperationsPanel() {
  return (
    <section aria-labelledby="operations-title" class="console-panel">
      <h2 id="operations-title">Operations</h2>
      <div class="console-grid">
        <RepublishOrder />
        <RebuildReadModels />
        <CourierStep />
      </div>
    </section>
  );
}
