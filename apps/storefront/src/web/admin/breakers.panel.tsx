import { unwrap } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';
import { usePolled } from '../state/use-polled.hook';
import { BREAKER_LABELS } from './console.model';
import { adminApi } from './operator.store';

/** Each upstream's circuit breaker as the gateway sees it: state and the counters of its rolling window. */
export function BreakersPanel({ everyMs }: { everyMs: number }) {
  const breakers = usePolled(() => unwrap(adminApi.GET('/api/admin/breakers')), everyMs);
  return (
    <section aria-labelledby="breakers-title" class="console-panel">
      <h2 id="breakers-title">Circuit breakers</h2>
      <p class="hint">The gateway's breaker in front of each service: closed lets calls through, open answers 503 at once, half-open tries one.</p>
      {breakers.error ? <ProblemAlert error={breakers.error} title="The breakers could not be read" onRetry={breakers.refresh} /> : null}
      {!breakers.data && !breakers.error ? <p role="status">Loading…</p> : null}
      {breakers.data ? (
        <ul class="console-grid" aria-label="Breakers">
          {Object.entries(breakers.data).map(([name, breaker]) => (
            <li key={name} class={`card breaker breaker-${breaker.state}`} data-testid={`breaker-${name}`}>
              <h3 class="console-card-title">
                {name}{' '}
                <span class={`badge badge-${breaker.state}`} data-testid="breaker-state">
                  {BREAKER_LABELS[breaker.state]}
                </span>
              </h3>
              <dl class="counters">
                <dt>Calls</dt>
                <dd>{breaker.stats.fires}</dd>
                <dt>Failures</dt>
                <dd>{breaker.stats.failures}</dd>
                <dt>Timeouts</dt>
                <dd>{breaker.stats.timeouts}</dd>
                <dt>Refused (open)</dt>
                <dd>{breaker.stats.rejects}</dd>
                <dt>Failures in a row</dt>
                <dd>{breaker.stats.consecutiveFailures}</dd>
                <dt>In flight</dt>
                <dd>{breaker.stats.inFlight}</dd>
                <dt>p99</dt>
                <dd>{`${Math.round(breaker.stats.latencyP99Ms)} ms`}</dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
