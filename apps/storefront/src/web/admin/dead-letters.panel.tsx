import { useState } from 'preact/hooks';
import { unwrap } from '../../api/api-client';
import { formatDateTime } from '../format/money.format';
import { ProblemAlert } from '../components/problem-alert.component';
import { usePolled } from '../state/use-polled.hook';
import { ConfirmAction } from './confirm-action.component';
import { count, type DeadLetter, type ServiceName, SERVICES } from './console.model';
import { adminApi } from './operator.store';

const LIST_LIMIT = 50;

async function replay(service: ServiceName, ids?: string[]): Promise<string> {
  const { replayed } = await unwrap(adminApi.POST('/api/admin/dlq/replay', { body: { service, ...(ids ? { ids } : {}) } }));
  return `Replayed ${count(replayed, 'dead letter')} of ${service} through its first retry tier.`;
}

function DeadLetterRow({ service, letter, onDone, onResult }: { service: ServiceName; letter: DeadLetter; onDone: () => void; onResult: (text: string) => void }) {
  return (
    <li class="dead-letter" data-testid="dead-letter">
      <p class="dead-letter-head">
        <strong>{letter.eventType ?? 'unparsable record'}</strong> <span class="muted">on {letter.originalTopic}</span>
      </p>
      <p class="dead-letter-error" data-testid="dead-letter-error">
        {letter.error}
      </p>
      <p class="muted small">
        from partition {letter.partition}, offset {letter.offset} · {count(letter.attempts, 'attempt')} · parked <time dateTime={letter.deadLetteredAt}>{formatDateTime(letter.deadLetteredAt)}</time>
        {letter.eventId ? ` · event ${letter.eventId}` : ''}
      </p>
      <p class="muted small">
        parked as <span data-testid="dead-letter-id">{letter.id}</span>
      </p>
      <ConfirmAction
        label="Replay"
        name={`Replay dead letter ${letter.id}`}
        question={`Replay this ${letter.eventType ?? 'record'} to ${service}'s first retry tier? The inbox makes a second delivery harmless.`}
        run={() => replay(service, [letter.id])}
        onDone={onDone}
        onResult={onResult}
      />
    </li>
  );
}

function ServiceDeadLetters({ service, everyMs }: { service: ServiceName; everyMs: number }) {
  const letters = usePolled(() => unwrap(adminApi.GET('/api/admin/dlq', { params: { query: { service, limit: LIST_LIMIT } } })), everyMs, [service]);
  const items = letters.data?.items ?? [];
  // A replayed row leaves the list at the next refresh: its result is shown here, above the list.
  const [rowResult, setRowResult] = useState<string | null>(null);
  return (
    <li class="card" data-testid={`dead-letters-${service}`}>
      <h3 class="console-card-title">
        {service} <span class={`badge ${items.length ? 'badge-open' : 'badge-closed'}`} data-testid="dead-letter-count">{letters.data ? items.length : '…'}</span>
      </h3>
      {letters.error ? <ProblemAlert error={letters.error} title={`${service}'s dead letters could not be read`} onRetry={letters.refresh} /> : null}
      {rowResult ? (
        <p class="action-result" role="status" data-testid="action-result">
          {rowResult}
        </p>
      ) : null}
      {letters.data && !items.length ? <p class="muted">No dead letters.</p> : null}
      {items.length ? (
        <>
          <ConfirmAction
            label={`Replay all (${items.length}${items.length === LIST_LIMIT ? '+' : ''})`}
            name={`Replay all dead letters of ${service}`}
            question={`Replay every dead letter of ${service} through its first retry tier?`}
            run={() => replay(service)}
            onDone={letters.refresh}
          />
          <ul class="plain-list dead-letters">
            {items.map((letter) => (
              <DeadLetterRow key={letter.id} service={service} letter={letter} onDone={letters.refresh} onResult={setRowResult} />
            ))}
          </ul>
        </>
      ) : null}
    </li>
  );
}

/** Records each service's consumers parked after their retries, with the error, and their replay. */
export function DeadLettersPanel({ everyMs }: { everyMs: number }) {
  return (
    <section aria-labelledby="dlq-title" class="console-panel">
      <h2 id="dlq-title">Dead letters</h2>
      <p class="hint">A record a consumer could not process, after its retries, or one it could not parse. Replay sends it back once the cause is fixed.</p>
      <ul class="console-grid console-grid-wide" aria-label="Dead letters per service">
        {SERVICES.map((service) => (
          <ServiceDeadLetters key={service} service={service} everyMs={everyMs} />
        ))}
      </ul>
    </section>
  );
}
