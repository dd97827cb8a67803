import { AppProcess, TestPlatform, tokenFor } from '@shop/testing';
import { ADDRESS, PLENTIFUL_STOCK, scarceStock } from './chaos-fixtures';
import { ChaosFacts, Expectations, SERVICES } from './invariants/chaos-facts';
import { collectFacts, probeSettled, query } from './invariants/collect-facts';
import { evaluateInvariants, InvariantResult } from './invariants/invariants';
import { LoadResult, OrderLoad, planOrders } from './order-load';
import { PrivateBroker } from './private-broker';
import { FaultContext, Scenario } from './scenarios';
import { FaultRecord, ScenarioResult, scenarioPassed } from './scenario-result';
import { SettleResult, waitUntilSettled } from './settle';

export interface RunOptions {
  orders: number;
  /** Orders per second through the gateway. */
  rate: number;
  /** How long a killed component stays down. */
  downMs: number;
  settleTimeoutMs: number;
  seed: number;
  log: (line: string) => void;
}

const WARM_UP_ORDERS = 10;

/** Quick courier steps so deliveries finish within the run, long enough for a cancel to land before dispatch. */
const COURIER = { DELIVERY_DISPATCH_DELAY_MS: '1000', DELIVERY_COMPLETE_DELAY_MS: '500' };

/**
 * One platform (five services and the gateway as processes, their own
 * database and topic prefix on the run's private broker) with the run's
 * products, driven through one scenario and checked afterwards.
 */
export class ChaosRun {
  readonly warmUpOrderIds: string[] = [];
  /** Orders the gateway accepted over all of this run's drives. */
  readonly acceptedOrderIds: string[] = [];
  private drives = 0;

  private constructor(
    readonly platform: TestPlatform,
    readonly gateway: AppProcess,
    readonly broker: PrivateBroker,
    readonly products: { plentiful: string[]; scarce: string },
    readonly initialStock: Map<string, number>,
    private readonly tokens: Map<string, string>,
    private readonly options: RunOptions,
  ) {}

  static async start(broker: PrivateBroker, options: RunOptions): Promise<ChaosRun> {
    const platform = await TestPlatform.start({ apps: [...SERVICES], brokers: broker.brokers, env: { delivery: COURIER } });
    let gateway: AppProcess | undefined;
    try {
      gateway = await AppProcess.start('api-gateway', {
        env: platform.gatewayEnv(),
      });
      const admin = await tokenFor('chaos-admin', 'admin');
      const initialStock = new Map<string, number>();
      const create = async (name: string, stock: number) => {
        const res = await fetch(`${gateway?.url}/api/products`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ sku: `CHAOS-${name}-${platform.kafka.prefix}`, name: `Chaos ${name}`, priceCents: 1_000 + initialStock.size * 100, currency: 'EUR', stock }),
        });
        if (res.status !== 201) throw new Error(`chaos: creating product ${name}: HTTP ${res.status} ${await res.text()}`);
        const { id } = (await res.json()) as { id: string };
        initialStock.set(id, stock);
        return id;
      };
      const plentiful: string[] = [];
      for (let i = 0; i < 9; i++) plentiful.push(await create(`p${i}`, PLENTIFUL_STOCK));
      const scarce = await create('scarce', scarceStock(options.orders));
      await waitForSnapshots(platform, [...initialStock.keys()]);
      const tokens = new Map<string, string>();
      for (let i = 0; i < 50; i++) tokens.set(`chaos-customer-${i}`, await tokenFor(`chaos-customer-${i}`));
      const run = new ChaosRun(platform, gateway, broker, { plentiful, scarce }, initialStock, tokens, options);
      await run.warmUp();
      return run;
    } catch (err) {
      await gateway?.stop().catch(() => undefined);
      await platform.stop().catch(() => undefined);
      throw err;
    }
  }

  /**
   * A few orders one at a time before the load: freshly started processes
   * answer their first requests slowly, and the gateway's breaker would
   * count that against the fault. They are checked like every other order.
   */
  private async warmUp(): Promise<void> {
    const plan = planOrders(WARM_UP_ORDERS, this.products, this.options.seed + 1, { declineShare: 0, cancelShare: 0, scarceShare: 0, customers: 50 });
    const deadline = Date.now() + 60_000;
    for (const order of plan) {
      for (;;) {
        const res = await fetch(`${this.gateway.url}/api/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.tokens.get(order.customer)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items: order.items, paymentToken: order.paymentToken, shippingAddress: ADDRESS }),
        });
        if (res.status === 202) {
          this.warmUpOrderIds.push(((await res.json()) as { id: string }).id);
          break;
        }
        if (Date.now() > deadline) throw new Error(`chaos: warm-up orders still refused after 60 s (HTTP ${res.status} ${await res.text()})`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Runs the load and, meanwhile, each fault when its share of the orders has been sent. */
  async drive(scenario: Scenario): Promise<{ load: LoadResult; faults: FaultRecord[]; error?: string }> {
    const { downMs, seed, log } = this.options;
    const { orders, rate } = scenario.load ?? this.options;
    const load = new OrderLoad(this.gateway.url, this.tokens, planOrders(orders, this.products, seed + 1_000 * this.drives++), { rate });
    const ctx: FaultContext = { platform: this.platform, gateway: this.gateway, broker: this.broker, downMs, log };
    const faults: FaultRecord[] = [];
    const errors: string[] = [];
    const running = load.run();
    await Promise.all(
      scenario.faults.map(async (fault) => {
        await load.whenSent(Math.max(1, Math.ceil(fault.at * orders)));
        const struckAtS = load.elapsed() / 1000;
        log(`${fault.target}: fault at ${struckAtS.toFixed(1)} s (${load.sent} orders sent)`);
        try {
          const note = await fault.inject(ctx);
          const backAtS = load.elapsed() / 1000;
          log(`${fault.target}: back at ${backAtS.toFixed(1)} s${note ? ` (${note})` : ''}`);
          faults.push({ target: fault.target, struckAtS, backAtS, note });
        } catch (err) {
          errors.push(`${fault.target}: ${(err as Error).message.split('\n')[0]}`);
          faults.push({ target: fault.target, struckAtS, backAtS: Number.NaN, note: 'fault injection failed' });
        }
      }),
    );
    const result = await running;
    this.acceptedOrderIds.push(...result.acceptedOrderIds);
    faults.sort((a, b) => a.struckAtS - b.struckAtS);
    log(`load done: ${result.acceptedOrderIds.length}/${result.sent} accepted in ${(result.durationMs / 1000).toFixed(1)} s`);
    return { load: result, faults, error: errors.length ? errors.join('; ') : undefined };
  }

  async settle(): Promise<SettleResult> {
    const result = await waitUntilSettled(() => probeSettled(this.platform), { timeoutMs: this.options.settleTimeoutMs, log: this.options.log });
    if (!result.settled) result.readiness = await this.readiness();
    return result;
  }

  /** Each service's /health/ready, the checks that are down and why. */
  private async readiness(): Promise<string[]> {
    return Promise.all(
      SERVICES.map(async (app) => {
        try {
          const res = await fetch(`${this.platform.url(app)}/health/ready`, { signal: AbortSignal.timeout(5_000) });
          const body = (await res.json()) as { checks?: Record<string, { status: string; error?: string }> };
          const down = Object.entries(body.checks ?? {}).filter(([, c]) => c.status !== 'ok');
          return `${app}: ${res.status}${down.map(([name, c]) => `; ${name}: ${c.error}`).join('')}`;
        } catch (err) {
          return `${app}: no answer (${(err as Error).message})`;
        }
      }),
    );
  }

  /** Every order of the run so far, and everything the services and the broker hold. */
  facts(): Promise<ChaosFacts> {
    return collectFacts(this.platform, { acceptedOrderIds: [...this.warmUpOrderIds, ...this.acceptedOrderIds], initialStock: this.initialStock });
  }

  /** The invariants over every order the run placed so far (all of its drives). */
  async check(expect: Expectations = {}): Promise<InvariantResult[]> {
    return evaluateInvariants(await this.facts(), expect);
  }

  /** Stops everything; with keepDatabase the run's database stays for a post-mortem. */
  async stop(options: { keepDatabase?: boolean } = {}): Promise<void> {
    await this.gateway.stop();
    if (options.keepDatabase) {
      for (const app of SERVICES) await this.platform.stopApp(app);
      this.options.log(`kept database ${this.platform.db.dbName} (topic prefix ${this.platform.kafka.prefix})`);
      return;
    }
    await this.platform.stop();
  }
}

async function waitForSnapshots(platform: TestPlatform, ids: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [{ n }] = await query<{ n: number }>(platform, 'order', 'select count(*)::int as n from product_snapshots where product_id = any($1::uuid[])', [ids]);
    if (n === ids.length) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('chaos: the order service did not learn the run’s products within 60 s');
}

/** One scenario from a fresh platform to its invariants; never throws, a broken run is a failed result. */
export async function runScenario(
  broker: PrivateBroker,
  scenario: Scenario,
  options: RunOptions,
  hooks: { onStart?: (run: ChaosRun) => void; keepDatabaseOnFailure?: boolean } = {},
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    scenario: { name: scenario.name, description: scenario.description },
    options: { orders: options.orders, rate: options.rate, downMs: options.downMs },
    faults: [],
    invariants: [],
  };
  let run: ChaosRun | undefined;
  try {
    options.log(`${scenario.name}: starting the platform`);
    run = await ChaosRun.start(broker, options);
    result.warmUpOrders = run.warmUpOrderIds.length;
    hooks.onStart?.(run);
    options.log(`${scenario.name}: ${options.orders} orders at ${options.rate}/s; ${scenario.description}`);
    const driven = await run.drive(scenario);
    result.load = driven.load;
    result.faults = driven.faults;
    result.error = driven.error;
    result.settle = await run.settle();
    options.log(`${scenario.name}: ${result.settle.settled ? 'settled' : 'NOT settled'} after ${(result.settle.ms / 1000).toFixed(1)} s; checking invariants`);
    result.invariants = await run.check(scenario.expect);
  } catch (err) {
    result.error = [result.error, (err as Error).stack ?? String(err)].filter(Boolean).join('; ');
  } finally {
    const keep = Boolean(hooks.keepDatabaseOnFailure) && !scenarioPassed(result);
    await run?.stop({ keepDatabase: keep }).catch((err) => options.log(`stopping the platform failed: ${(err as Error).message}`));
  }
  return result;
}
