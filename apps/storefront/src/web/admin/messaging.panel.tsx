import { unwrap } from '../../api/api-client';
import { usePolled } from '../state/use-polled.hook';
import { age, count, type ServiceName, SERVICES } from './console.model';
import { adminApi } from './operator.store';

function ServiceMessaging({ service, everyMs }: { service: ServiceName; everyMs: number }) {
  const status = usePolled(() => unwrap(adminApi.GET('/api/admin/messaging', { params: { query: { service } } })), everyMs, [service]);
  const data = status.data;
  return (
    <li class="card" data-testid={`messaging-${service}`}>
      <h3 class="console-card-title">{service}</h3>
      {status.error ? <p class="muted part-degraded" data-testid="messaging-error">{status.error.problem.detail}</p> : null}
      {!data && !status.error ? <p role="status">Loading…</p> : null}
      {data ? (
        <>
          <dl class="counters">
            <dt>Outbox backlog</dt>
            <dd data-testid="outbox-backlog">{data.outbox.backlog}</dd>
            <dt>Oldest waiting</dt>
            <dd>{age(data.outbox.oldestPendingSeconds)}</dd>
            <dt>Relay</dt>
            <dd>{data.outbox.leader ? 'publishing' : data.outbox.running ? 'standing by' : 'stopped'}</dd>
            <dt>Consumer lag</dt>
            <dd data-testid="consumer-lag">{data.lagError ? 'unknown' : data.totalLag}</dd>
            <dt>Consumers</dt>
            <dd>{data.consumers.map((c) => `${c.group}: ${c.status}${c.restarts ? ` (${count(c.restarts, 'restart')})` : ''}`).join(', ') || 'none'}</dd>
          </dl>
          {data.outbox.lastError ? <p class="muted">Relay: {data.outbox.lastError}</p> : null}
          {data.lagError ? <p class="muted">Lag: {data.lagError}</p> : null}
          {data.lag.some((l) => l.lag > 0) ? (
            <details>
              <summary>Lag per topic</summary>
              <ul class="plain-list">
                {data.lag
                  .filter((l) => l.lag > 0)
                  .map((l) => (
                    <li key={`${l.group}:${l.topic}`}>
                      {l.topic} ({l.group}): {l.lag}
                    </li>
                  ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </li>
  );
}

/** Per service: what its outbox still has to publish and how far its consumers are behind the broker. */
export function MessagingPanel({ everyMs }: { everyMs: number }) {
  return (
    <section aria-labelledby="messaging-title" class="console-panel">
      <h2 id="messaging-title">Outbox and consumers</h2>
      <p class="hint">Backlog: events written with a state change and not yet on Kafka. Lag: records on Kafka a service has not processed yet.</p>
      <ul class="console-grid" aria-label="Messaging per service">
        {SERVICES.map((service) => (
          <ServiceMessaging key={service} service={service} everyMs={everyMs} />
        ))}
      </ul>
    </section>
  );
}
