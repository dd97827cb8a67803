import type { InvariantKey } from './invariants/invariants';
import { expectedRefusal } from './order-load';
import { ScenarioResult, scenarioPassed } from './scenario-result';

const MAX_PROBLEMS = 15;

/** Invariant numbers as docs/contract.md lists them. */
const NUMBER: Record<InvariantKey, string> = {
  terminal: '1',
  'no-duplicates': '2',
  'no-event-lost': '3a',
  'states-agree': '3b',
  'retry-drained': '4a',
  'dead-letters': '4b',
};

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - [...cell].length))).join('  ').trimEnd());
}

function refusedLine(refused: Record<string, number>): string {
  const parts = Object.entries(refused)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ×${n}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The scenario's table: load, faults, settling, then each invariant with its counts and problems. */
export function scenarioTable(r: ScenarioResult): string {
  const lines = [`== ${r.scenario.name}: ${r.scenario.description} ==`];
  if (r.load) {
    const refused = r.load.sent - r.load.acceptedOrderIds.length;
    lines.push(
      `orders    ${r.load.sent} sent at ${r.options.rate}/s in ${seconds(r.load.durationMs)}: ${r.load.acceptedOrderIds.length} accepted, ${refused} refused${refusedLine(r.load.refused)}${r.load.tickets ? `; ${r.load.tickets} waited in the waiting room first` : ''}${r.warmUpOrders ? ` (after ${r.warmUpOrders} warm-up orders, checked too)` : ''}`,
      ...Object.keys(r.load.samples)
        .filter(expectedRefusal)
        .map((kind) => `          ${kind}, e.g. ${r.load?.samples[kind]}`),
      ...Object.keys(r.load.refused)
        .filter((kind) => !expectedRefusal(kind))
        .map((kind) => `⚠ unexpected answer: ${kind} ×${r.load?.refused[kind]}${r.load?.samples[kind] ? `, e.g. ${r.load.samples[kind]}` : ''}`),
      `cancels   ${r.load.cancels.sent} sent: ${r.load.cancels.accepted} accepted, ${r.load.cancels.tooLate} too late (409), ${r.load.cancels.refused} refused`,
    );
  }
  for (const f of r.faults) {
    const back = Number.isNaN(f.backAtS) ? 'not back' : `back at ${f.backAtS.toFixed(1)} s`;
    lines.push(`fault     ${f.target}: struck at ${f.struckAtS.toFixed(1)} s, ${back}${f.note ? ` — ${f.note}` : ''}`);
  }
  if (r.settle) lines.push(`settle    ${r.settle.settled ? `settled in ${seconds(r.settle.ms)}` : `NOT settled within ${seconds(r.settle.ms)}`}`);
  for (const line of r.settle?.readiness ?? []) lines.push(`          readiness ${line}`);
  if (r.invariants.length) {
    lines.push('');
    const rows = [['', 'invariant', 'result', 'counts'], ...r.invariants.map((i) => [NUMBER[i.key], i.title, mark(i.ok), i.counts])];
    lines.push(...pad(rows).map((l) => `  ${l}`));
    for (const i of r.invariants.filter((x) => !x.ok)) {
      lines.push('', `  ✗ ${NUMBER[i.key]} ${i.title}:`);
      for (const p of i.problems.slice(0, MAX_PROBLEMS)) lines.push(`    - ${p}`);
      if (i.problems.length > MAX_PROBLEMS) lines.push(`    … and ${i.problems.length - MAX_PROBLEMS} more`);
    }
  }
  if (r.error) lines.push('', `  ✗ run error: ${r.error}`);
  lines.push('', `result    ${scenarioPassed(r) ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

/** One row per scenario: accepted and refused orders, time to settle, each invariant, the verdict. */
export function summaryTable(results: ScenarioResult[]): string {
  const keys = Object.keys(NUMBER) as InvariantKey[];
  const rows = [
    ['scenario', 'accepted', 'refused', 'settle', ...keys.map((k) => NUMBER[k]), 'result'],
    ...results.map((r) => [
      r.scenario.name,
      r.load ? String(r.load.acceptedOrderIds.length) : '-',
      r.load ? String(r.load.sent - r.load.acceptedOrderIds.length) : '-',
      r.settle ? (r.settle.settled ? seconds(r.settle.ms) : 'timeout') : '-',
      ...keys.map((k) => {
        const found = r.invariants.find((i) => i.key === k);
        return found ? mark(found.ok) : '-';
      }),
      scenarioPassed(r) ? 'PASS' : 'FAIL',
    ]),
  ];
  return pad(rows).join('\n');
}
