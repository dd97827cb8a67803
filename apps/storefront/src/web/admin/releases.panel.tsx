import { unwrap } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';
import { usePolled } from '../state/use-polled.hook';
import { PHASE_LABELS, type Release, releaseInProgress, releasesToShow } from './console.model';
import { adminApi } from './operator.store';

function ReleaseCard({ release }: { release: Release }) {
  const { report, canary } = release;
  const phase = report?.phase ?? 'judging';
  return (
    <li class={`card release release-${phase}`} data-testid={`release-${release.upstream}`}>
      <h3 class="console-card-title">
        {release.upstream}{' '}
        <span class={`badge badge-${phase}`} data-testid="release-phase">
          {PHASE_LABELS[phase]}
        </span>
      </h3>
      <dl class="counters">
        <dt>Stable</dt>
        <dd>{report?.stableVersion ?? release.stable.version ?? 'unknown'}</dd>
        <dt>Canary</dt>
        <dd data-testid="release-version">{canary?.version ?? report?.version}</dd>
        <dt>Its share</dt>
        <dd>{canary ? `${canary.weight}% of the gateway's calls, and a share of the partitions` : 'none now'}</dd>
        {report ? (
          <>
            <dt>Judged for</dt>
            <dd>{`${Math.round(report.elapsedSeconds)} s of ${report.windowSeconds} s`}</dd>
          </>
        ) : null}
      </dl>
      {report?.verdict ? (
        <div class="release-verdict" role={releaseInProgress(release) ? 'status' : undefined}>
          <p>
            <strong data-testid="release-verdict">{report.verdict === 'promote' ? 'Verdict: promote' : 'Verdict: roll back'}</strong>
          </p>
          <ul class="plain-list small" data-testid="release-reasons">
            {report.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {report?.signals.length ? (
        <table class="signals small">
          <caption class="visually-hidden">What the confidence check compared</caption>
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col">Stable</th>
              <th scope="col">Canary</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {report.signals.map((s) => (
              <tr key={s.name} class={`signal-${s.verdict === 'not enough data' ? 'waiting' : s.verdict}`}>
                <th scope="row">{s.name}</th>
                <td>{s.stable}</td>
                <td>{s.canary}</td>
                <td>{s.note ? `${s.verdict}: ${s.note}` : s.verdict}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

/** Canary releases: a new build beside the stable one, judged by the confidence check, and its verdict. */
export function ReleasesPanel({ everyMs }: { everyMs: number }) {
  const releases = usePolled(() => unwrap(adminApi.GET('/api/admin/releases')), everyMs);
  const shown = releases.data ? releasesToShow(releases.data.releases) : [];
  return (
    <section aria-labelledby="releases-title" class="console-panel">
      <h2 id="releases-title">Releases</h2>
      <p class="hint">A canary takes a share of the traffic beside the stable version; the confidence check compares them and promotes or rolls back on its own (npm run release).</p>
      {releases.error ? <ProblemAlert error={releases.error} title="The releases could not be read" onRetry={releases.refresh} /> : null}
      {!releases.data && !releases.error ? <p role="status">Loading…</p> : null}
      {releases.data && shown.length === 0 ? <p class="muted">No release in progress, and none since the gateway started.</p> : null}
      {shown.length ? (
        <ul class="console-grid console-grid-wide" aria-label="Releases">
          {shown.map((release) => (
            <ReleaseCard key={release.upstream} release={release} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
