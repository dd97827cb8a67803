import { ChaosRun, PrivateBroker, query, RunOptions, ScenarioResult, scenarioNamed, scenarioPassed, scenarioTable, violations } from '@shop/chaos';

/**
 * `npm run chaos`, short: one platform (five services and the gateway as
 * processes) on a private Kafka broker, three faults in turn during loads of
 * 120 orders through the gateway, the invariants checked over every order
 * after each; then the checker is shown to fail on a tampered database.
 */
describe('chaos: kill -9 mid-load, restart, invariants (private broker)', () => {
  let broker: PrivateBroker;
  let run: ChaosRun;
  const lines: string[] = [];
  const options: RunOptions = { orders: 120, rate: 40, downMs: 1_000, settleTimeoutMs: 150_000, seed: 7, log: (line) => lines.push(line) };

  beforeAll(async () => {
    broker = await PrivateBroker.start(options.log);
    run = await ChaosRun.start(broker, options);
  }, 240_000);

  afterAll(async () => {
    await run?.stop();
    await broker?.stop();
  });

  /** Drives one scenario on the shared run and fails with its whole table (and the run's log) when it breaks anything. */
  async function scenario(name: string): Promise<ScenarioResult> {
    const s = scenarioNamed(name);
    const driven = await run.drive(s);
    const result: ScenarioResult = {
      scenario: { name: s.name, description: s.description },
      options,
      load: driven.load,
      faults: driven.faults,
      error: driven.error,
      settle: await run.settle(),
      invariants: [],
    };
    result.invariants = await run.check(s.expect);
    if (!scenarioPassed(result)) throw new Error(`\n${scenarioTable(result)}\n\nrun log:\n${lines.join('\n')}`);
    return result;
  }

  it.each([
    ['payment', 'payment'],
    ['order', 'order'],
    ['broker', 'kafka broker'],
  ])('keeps every invariant when the %s is killed -9 during the load and started again', async (name, target) => {
    const result = await scenario(name);
    expect(result.faults).toEqual([expect.objectContaining({ target, note: undefined })]);
    expect(result.faults[0].backAtS).toBeGreaterThan(result.faults[0].struckAtS);
    expect(result.load?.sent).toBe(options.orders);
    expect(result.load?.acceptedOrderIds.length).toBeGreaterThan(0);
    expect(result.invariants.map((i) => [i.key, i.ok])).toEqual([
      ['terminal', true],
      ['no-duplicates', true],
      ['no-event-lost', true],
      ['states-agree', true],
      ['retry-drained', true],
      ['dead-letters', true],
    ]);
  }, 300_000);

  it('drains every outbox after each of ten kills -9 of the broker under load, and keeps every invariant', async () => {
    const result = await scenario('broker-10');
    expect(result.faults).toEqual([expect.objectContaining({ target: 'kafka broker (10 times)', note: undefined })]);
    expect(result.load?.sent).toBe(scenarioNamed('broker-10').load?.orders);
    expect(result.invariants.every((i) => i.ok)).toBe(true);
  }, 600_000);

  it('reports the violations in a tampered database: an event the payment service never processed, stock that does not add up', async () => {
    expect(violations(await run.check())).toEqual([]);
    const [{ event_id: lost }] = await query<{ event_id: string }>(
      run.platform,
      'payment',
      `delete from inbox where event_id = (select event_id from inbox where event_type = 'order.awaiting-payment' limit 1) returning event_id`,
    );
    const product = run.products.plentiful[0];
    await query(run.platform, 'catalog', 'update products set stock = stock + 1 where id = $1', [product]);

    const results = await run.check();
    expect(violations(results).map((r) => r.key)).toEqual(['no-event-lost', 'states-agree']);
    const [eventLost] = violations(results);
    expect(eventLost.problems).toEqual([expect.stringMatching(new RegExp(`^payment never processed 1 of \\d+ order.awaiting-payment \\(e\\.g\\. event ${lost},`))]);
    expect(violations(results)[1].problems).toEqual([expect.stringMatching(new RegExp(`^product ${product}: stock \\d+, expected 1000000 − \\d+ shipped = \\d+$`))]);
    expect(scenarioTable({ scenario: { name: 'tampered', description: 'x' }, options, faults: [], invariants: results }).trimEnd().endsWith('FAIL')).toBe(true);
  });
});
