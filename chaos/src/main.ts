/**
 * `npm run chaos`: each scenario kills (-9) a part of the platform during a
 * load of orders through the gateway, starts it again, waits for the
 * platform to settle and checks the invariants of docs/contract.md. All
 * on a private Kafka broker, so the shared one is never disturbed. Exits
 * non-zero on any violation.
 */
import { infra, workspaceRoot } from '@shop/testing';
import { parseChaosArgs, USAGE } from './chaos-options';
import { ChaosRun, runScenario } from './chaos-run';
import { PrivateBroker } from './private-broker';
import { scenarioTable, summaryTable } from './report';
import { ScenarioResult, scenarioPassed } from './scenario-result';
import { BASELINE, scenarioNamed, SCENARIOS } from './scenarios';

async function main(): Promise<number> {
  const known = [...SCENARIOS, BASELINE].map((s) => s.name);
  let options;
  try {
    options = parseChaosArgs(process.argv.slice(2), known);
  } catch (err) {
    process.stderr.write(`chaos: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options.list) {
    for (const s of [...SCENARIOS, BASELINE]) process.stdout.write(`${s.name.padEnd(10)} ${s.description}\n`);
    return 0;
  }
  const started = Date.now();
  const clock = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
  const log = (line: string) => process.stdout.write(`chaos ${clock()} | ${line}\n`);
  const scenarios = options.scenarios.length ? options.scenarios.map(scenarioNamed) : SCENARIOS;

  const rootDir = workspaceRoot();
  const pg = infra<{ ensurePostgres(o: object): Promise<{ adminUrl: string; startedHere: boolean }>; stopPostgres(o: object): Promise<boolean> }>('postgres');
  const postgres = await pg.ensurePostgres({ rootDir, log });
  process.env.DATABASE_ADMIN_URL = postgres.adminUrl;
  log('starting a private Kafka broker (the shared one is never touched)');
  const broker = await PrivateBroker.start(log);
  let current: ChaosRun | undefined;
  // Leave nothing behind on Ctrl-C or SIGTERM: the apps are our children, the broker runs detached.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the platform and the private broker`);
    const bounded = Promise.race([current?.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000))]);
    void bounded.then(() => broker.stop()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const results: ScenarioResult[] = [];
  try {
    log(`${scenarios.length} scenario(s), ${options.orders} orders each at ${options.rate}/s, broker ${broker.brokers.join(',')}`);
    for (const scenario of scenarios) {
      const result = await runScenario(broker, scenario, { ...options, log }, { keepDatabaseOnFailure: options.keep, onStart: (run) => (current = run) });
      current = undefined;
      results.push(result);
      process.stdout.write(`\n${scenarioTable(result)}\n\n`);
    }
  } finally {
    const failed = results.some((r) => !scenarioPassed(r));
    await broker.stop({ keepData: options.keep && failed });
    if (postgres.startedHere) await pg.stopPostgres({ rootDir, log });
  }

  const failures = results.filter((r) => !scenarioPassed(r));
  process.stdout.write(`== summary (${options.orders} orders per scenario at ${options.rate}/s, down ${options.downMs} ms, ${clock().trim()} in all) ==\n`);
  process.stdout.write(`${summaryTable(results)}\n\n`);
  if (failures.length) {
    process.stdout.write(`✗✗✗ CHAOS FAILED: ${failures.map((r) => r.scenario.name).join(', ')} broke an invariant or did not run as planned (details above) ✗✗✗\n`);
    return 1;
  }
  process.stdout.write(`chaos: all ${results.length} scenario(s) kept every invariant\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
