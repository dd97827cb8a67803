import type { InvariantResult } from './invariants/invariants';
import { scenarioTable, summaryTable } from './report';
import type { ScenarioResult } from './scenario-result';

const ok = (key: InvariantResult['key'], title: string, counts: string): InvariantResult => ({ key, title, ok: true, counts, problems: [] });

function passing(): ScenarioResult {
  return {
    scenario: { name: 'payment', description: 'kill -9 the payment service at 30% of the load, start it again' },
    options: { orders: 1000, rate: 50, downMs: 3000 },
    load: { sent: 1000, acceptedOrderIds: Array.from({ length: 990 }, (_, i) => `o${i}`), refused: { 'HTTP 503': 7, 'connection error': 3 }, samples: { 'HTTP 503': 'order is overloaded: too many calls in flight' }, cancels: { sent: 30, accepted: 26, tooLate: 4, refused: 0 }, tickets: 0, durationMs: 20_040 },
    faults: [{ target: 'payment', struckAtS: 6.02, backAtS: 12.31 }],
    settle: { settled: true, ms: 14_250, last: { openOrders: 0, movingDeliveries: 0, unpublished: 0, lag: 0 } },
    invariants: [
      ok('terminal', 'accepted orders reach DELIVERED or CANCELLED', '990/990 terminal'),
      ok('no-duplicates', 'no payment, reservation, delivery or step twice', '0 duplicated'),
      ok('no-event-lost', 'every event published and in each subscriber’s inbox', 'all in'),
      ok('states-agree', 'order, payment, stock and delivery states agree', 'agree'),
      ok('retry-drained', 'consumer lag 0 on retry tiers and source topics', 'retry lag 0'),
      ok('dead-letters', 'dead letters explained', '0 dead letter(s), 0 expected'),
    ],
  };
}

describe('chaos report', () => {
  it('prints the load, the fault, the settle time and each invariant with ✓ and its counts', () => {
    const text = scenarioTable(passing());
    expect(text).toContain('== payment: kill -9 the payment service at 30% of the load, start it again ==');
    expect(text).toContain('orders    1000 sent at 50/s in 20.0 s: 990 accepted, 10 refused (HTTP 503 ×7, connection error ×3)');
    expect(text).toContain('          HTTP 503, e.g. order is overloaded: too many calls in flight\ncancels   30 sent: 26 accepted, 4 too late (409), 0 refused');
    expect(text).toContain('fault     payment: struck at 6.0 s, back at 12.3 s');
    expect(text).toContain('settle    settled in 14.3 s');
    expect(text).toMatch(/ {2}1 +accepted orders reach DELIVERED or CANCELLED +✓ +990\/990 terminal/);
    expect(text).toMatch(/4b {2}dead letters explained +✓ +0 dead letter\(s\), 0 expected/);
    expect(text.trimEnd().endsWith('result    PASS')).toBe(true);
  });

  it('flags answers a fault should not cause, with the first body, without failing the scenario', () => {
    const r = passing();
    r.load = { ...(r.load as NonNullable<ScenarioResult['load']>), refused: { 'HTTP 503': 7, 'HTTP 500': 2 }, samples: { 'HTTP 500': '{"status":500}' } };
    const text = scenarioTable(r);
    expect(text).toContain('⚠ unexpected answer: HTTP 500 ×2, e.g. {"status":500}');
    expect(text).not.toContain('unexpected answer: HTTP 503');
    expect(text.trimEnd().endsWith('result    PASS')).toBe(true);
  });

  it('lists each violation under the table and ends FAIL', () => {
    const r = passing();
    r.invariants[2] = { ...r.invariants[2], ok: false, problems: Array.from({ length: 20 }, (_, i) => `lost event ${i}`) };
    const text = scenarioTable(r);
    expect(text).toMatch(/3a {2}every event published and in each subscriber’s inbox +✗/);
    expect(text).toContain('  ✗ 3a every event published and in each subscriber’s inbox:\n    - lost event 0');
    expect(text).toContain('    - lost event 14\n    … and 5 more');
    expect(text.trimEnd().endsWith('result    FAIL')).toBe(true);
  });

  it('fails a run that did not settle or whose fault could not be injected, even with every invariant ✓', () => {
    const unsettled = passing();
    unsettled.settle = { settled: false, ms: 180_000, last: { openOrders: 3, movingDeliveries: 0, unpublished: 0, lag: 0 } };
    expect(scenarioTable(unsettled)).toContain('settle    NOT settled within 180.0 s');
    expect(scenarioTable(unsettled).trimEnd().endsWith('FAIL')).toBe(true);
    const broken = passing();
    broken.error = 'payment: testing: payment not ready within 60 s';
    broken.faults[0] = { target: 'payment', struckAtS: 6, backAtS: Number.NaN, note: 'fault injection failed' };
    const text = scenarioTable(broken);
    expect(text).toContain('fault     payment: struck at 6.0 s, not back — fault injection failed');
    expect(text).toContain('  ✗ run error: payment: testing: payment not ready within 60 s');
  });

  it('summarises one row per scenario with the settle time and a mark per invariant', () => {
    const failed = passing();
    failed.scenario = { name: 'broker', description: 'x' };
    failed.invariants[3] = { ...failed.invariants[3], ok: false };
    const lines = summaryTable([passing(), failed, { scenario: { name: 'order', description: 'x' }, options: passing().options, faults: [], invariants: [], error: 'did not start' }]).split('\n');
    expect(lines[0]).toMatch(/^scenario +accepted +refused +settle +1 +2 +3a +3b +4a +4b +result$/);
    expect(lines[1]).toMatch(/^payment +990 +10 +14\.3 s +✓ +✓ +✓ +✓ +✓ +✓ +PASS$/);
    expect(lines[2]).toMatch(/^broker +990 +10 +14\.3 s +✓ +✓ +✓ +✗ +✓ +✓ +FAIL$/);
    expect(lines[3]).toMatch(/^order +- +- +- +- +- +- +- +- +- +FAIL$/);
  });
});
