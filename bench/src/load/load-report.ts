import { ACTIONS } from './load-options';
import type { LoadSummary, Progress } from './load-runner';

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : String(Math.round(v)));

/** The one-line live view, rewritten every second. */
export function formatProgress(p: Progress): string {
  return [
    `${p.phase === 'drain' ? 'drain' : 'load'} ${p.elapsedSeconds.toFixed(0).padStart(4)}s`,
    `${p.rate.toFixed(1).padStart(7)} req/s`,
    `errors ${p.errors}/s (${p.totalErrors} total)`,
    `refused ${p.refused}/s (${p.totalRefused} total)`,
    `p50 ${ms(p.p50)} ms`,
    `p99 ${ms(p.p99)} ms`,
    `in flight ${p.inFlight}`,
    `dropped ${p.dropped}`,
    `orders ${p.placed} placed, ${p.terminal} ended`,
  ].join('  ');
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : '-';
}

/** The end-of-run table: per action count, unexpected answers by status, p50/p95/p99; then the orders' fate. */
export function formatSummary(s: LoadSummary): string {
  const lines = [
    `load: ${s.loadSeconds.toFixed(1)} s against ${s.target}: ${s.offeredRate.toFixed(1)} actions/s offered, ${s.achievedRate.toFixed(1)} answers/s, ` +
      `${s.requests} requests, ${s.errors} unexpected answers, ${s.refused} refused by the gateway (429, or 503 with Retry-After; waited out), ` +
      `${s.heldBack} held back while their customer waited, ${s.dropped} dropped (connections all busy)` +
      (s.seededProducts ? `, ${s.seededProducts} products created first` : ''),
    '',
    `${'action'.padEnd(8)} ${'count'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  errors by status; refused by status`,
  ];
  for (const action of ACTIONS) {
    const a = s.actions[action];
    if (!a) continue;
    lines.push(
      `${action.padEnd(8)} ${String(a.count).padStart(8)} ${ms(a.p50).padStart(8)} ${ms(a.p95).padStart(8)} ${ms(a.p99).padStart(8)} ${ms(a.max).padStart(8)}  ${counts(a.errors)}; ${counts(a.refused)}`,
    );
  }
  const ended = Object.values(s.orders.terminal).reduce((a, b) => a + b, 0);
  lines.push(
    '',
    `orders: ${s.orders.placed} placed, ${ended} reached a terminal status (${counts(s.orders.terminal)}), ` +
      `${s.orders.placed - ended} still open (${counts(s.orders.open)})` +
      (s.drainSeconds > 0 ? ` after following them ${s.drainSeconds.toFixed(1)} s more` : '') +
      (s.orders.tickets ? `; ${s.orders.tickets} checkouts were given a waiting-room ticket instead (not followed)` : ''),
    `reviews: ${s.reviewsPosted} posted`,
  );
  return lines.join('\n');
}
