import { useState } from 'preact/hooks';
import { unwrap, type WaitingRoom } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';
import { usePolled } from '../state/use-polled.hook';
import { ConfirmAction } from './confirm-action.component';
import { adminApi } from './operator.store';

const MODE_LABELS: Record<WaitingRoom['mode'], string> = { auto: 'by itself', open: 'held open by an operator', closed: 'held closed by an operator' };

/**
 * The waiting room in front of checkout: open or closed and why, its line,
 * how fast it admits against how fast orders complete, and the operator's
 * hand on it (open, close, a fixed rate, or back to deciding by itself).
 */
export function WaitingRoomPanel({ everyMs }: { everyMs: number }) {
  const room = usePolled(() => unwrap(adminApi.GET('/api/admin/waiting-room')), everyMs);
  const [rate, setRate] = useState('');
  const set = (mode: WaitingRoom['mode'], ratePerSecond: number | null) => async () => {
    const after = await unwrap(adminApi.PUT('/api/admin/waiting-room', { body: { mode, ratePerSecond } }));
    room.refresh();
    return `The room is ${after.open ? 'open' : 'closed'}, ${MODE_LABELS[after.mode]}${after.ratePerSecond ? `, admitting ${after.ratePerSecond} orders/s` : ''}.`;
  };
  const r = room.data;
  const fixedRate = Number(rate);
  return (
    <section aria-labelledby="waiting-room-title" class="console-panel">
      <h2 id="waiting-room-title">Waiting room</h2>
      <p class="hint">
        When orders take longer than the target from placed to confirmed, checkouts get a place in line and are admitted as fast as orders complete.
      </p>
      {room.error ? <ProblemAlert error={room.error} title="The waiting room could not be read" onRetry={room.refresh} /> : null}
      {!r && !room.error ? <p role="status">Loading…</p> : null}
      {r ? (
        <div class="card" data-testid="waiting-room">
          <h3 class="console-card-title">
            <span class={`badge ${r.open ? 'badge-open' : 'badge-closed'}`} data-testid="waiting-room-state">
              {r.open ? 'Open' : 'Closed'}
            </span>{' '}
            {MODE_LABELS[r.mode]}
          </h3>
          <p class="small" data-testid="waiting-room-reason">
            {r.reason}
          </p>
          <dl class="counters">
            <dt>In line</dt>
            <dd data-testid="waiting-room-line">{r.waiting}</dd>
            <dt>Line moves at</dt>
            <dd data-testid="waiting-room-admitted">{r.open ? `${r.admittedPerSecond} tickets/s, admitting at ${r.admitRate}/s` : '-'}</dd>
            <dt>Completed</dt>
            <dd>{`${r.completedPerSecond} orders/s`}</dd>
            <dt>In flight</dt>
            <dd>{String(r.inFlight)}</dd>
            <dt>Placed → confirmed p90</dt>
            <dd>{r.confirmP90Seconds === null ? 'none confirmed lately' : `${Math.round(r.confirmP90Seconds * 1000)} ms (target ${Math.round(r.targetSeconds * 1000)} ms)`}</dd>
            {r.ratePerSecond !== null ? (
              <>
                <dt>Fixed rate</dt>
                <dd>{`${r.ratePerSecond} orders/s`}</dd>
              </>
            ) : null}
          </dl>
          <div class="actions">
            <ConfirmAction label="Open" name="Open the waiting room" question="Send every new checkout to the line?" run={set('open', null)} disabled={r.mode === 'open' && r.ratePerSecond === null} />
            <ConfirmAction label="Close" name="Close the waiting room" question="Let everybody in line through now, and place new checkouts at once?" run={set('closed', null)} disabled={r.mode === 'closed'} />
            <ConfirmAction label="Automatic" name="Let the waiting room decide" question="Let the room open and close by itself again?" run={set('auto', null)} disabled={r.mode === 'auto'} />
          </div>
          <div class="field inline">
            <label for="waiting-room-rate">Fixed rate (orders/s)</label>
            <input id="waiting-room-rate" inputMode="decimal" value={rate} onInput={(e) => setRate(e.currentTarget.value)} />
            <ConfirmAction
              label="Admit at this rate"
              name="Open the waiting room at a fixed rate"
              question={`Open the room and admit ${fixedRate} orders per second, whatever the lifecycle does?`}
              run={set('open', fixedRate)}
              disabled={!(fixedRate > 0)}
            />
          </div>
        </div>
      ) : null}
    </section>
  );
}
