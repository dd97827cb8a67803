import type { AppProcess, TestPlatform } from '@shop/testing';
import { SERVICES, type Expectations, type ServiceName } from './invariants/chaos-facts';
import { query } from './invariants/collect-facts';
import type { PrivateBroker } from './private-broker';

export interface FaultContext {
  platform: TestPlatform;
  gateway: AppProcess;
  broker: PrivateBroker;
  /** How long a killed component stays down before it is started again. */
  downMs: number;
  log: (line: string) => void;
}

export interface Fault {
  target: string;
  /** When to strike: the share of the run's orders sent so far. */
  at: number;
  /** Breaks the target and brings it back; returns a note when the fault did not go as planned. */
  inject(ctx: FaultContext): Promise<string | undefined>;
}

export interface Scenario {
  name: string;
  description: string;
  faults: Fault[];
  expect?: Expectations;
  /** A load of its own, when its faults need longer than the run's default load lasts. */
  load?: { orders: number; rate: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function killService(app: ServiceName, at = 0.3): Fault {
  return {
    target: app,
    at,
    async inject(ctx) {
      await ctx.platform.killApp(app);
      await sleep(ctx.downMs);
      await ctx.platform.startApp(app);
      return undefined;
    },
  };
}

/**
 * Restarts the service with CHAOS_OUTBOX_CRASH_AFTER_PUBLISH=1: its relay
 * kills the process (-9) right after the broker acknowledged a batch and
 * before the rows are marked published. Then it starts it normally, and the
 * relay publishes those rows a second time.
 */
function crashRelay(app: ServiceName, at: number): Fault {
  return {
    target: `${app} outbox relay`,
    at,
    async inject(ctx) {
      let note: string | undefined;
      await ctx.platform.stopApp(app);
      ctx.platform.setEnv(app, { CHAOS_OUTBOX_CRASH_AFTER_PUBLISH: '1' });
      let crashed = false;
      try {
        await ctx.platform.startApp(app);
      } catch (err) {
        // A backlog at boot: the relay published it and the process died before it was even ready.
        if (!/exited with SIGKILL/.test((err as Error).message)) throw err;
        crashed = true;
      }
      if (!crashed) {
        try {
          await ctx.platform.waitForExit(app, 30_000);
        } catch {
          await ctx.platform.killApp(app);
          note = `${app}'s relay published nothing within 30 s, so it was killed -9 instead`;
        }
      }
      ctx.platform.setEnv(app, { CHAOS_OUTBOX_CRASH_AFTER_PUBLISH: '' });
      await sleep(ctx.downMs);
      await ctx.platform.startApp(app);
      return note;
    },
  };
}

const killGateway: Fault = {
  target: 'api-gateway',
  at: 0.3,
  async inject(ctx) {
    await ctx.gateway.kill();
    await sleep(ctx.downMs);
    await ctx.gateway.restart();
    return undefined;
  },
};

const killBroker: Fault = {
  target: 'kafka broker',
  at: 0.3,
  async inject(ctx) {
    await ctx.broker.kill();
    await sleep(ctx.downMs);
    await ctx.broker.restart();
    return undefined;
  },
};

/**
 * Waits until every service's outbox has been empty at least once since the
 * call (under load new rows keep coming, so an empty moment is the sign the
 * relay keeps up). A relay left with a producer the restarted broker no longer
 * recognises never gets there.
 */
async function outboxesDrain(ctx: FaultContext, timeoutMs: number): Promise<string | undefined> {
  const pending = new Set<ServiceName>(SERVICES);
  const deadline = Date.now() + timeoutMs;
  while (pending.size && Date.now() < deadline) {
    for (const app of [...pending]) {
      const [{ n }] = await query<{ n: number }>(ctx.platform, app, 'select count(*)::int as n from outbox where published_at is null');
      if (n === 0) pending.delete(app);
    }
    if (pending.size) await sleep(200);
  }
  return pending.size ? `outbox of ${[...pending].join(', ')} not drained within ${timeoutMs / 1000} s` : undefined;
}

/** kill -9 of the broker `times` times in a row, each once it is back and every outbox has drained. */
function killBrokerRepeatedly(times: number): Fault {
  return {
    target: `kafka broker (${times} times)`,
    at: 0.02,
    async inject(ctx) {
      const notes: string[] = [];
      for (let i = 1; i <= times; i++) {
        await ctx.broker.kill();
        await sleep(ctx.downMs);
        await ctx.broker.restart();
        const stalled = await outboxesDrain(ctx, 60_000);
        ctx.log(`kafka broker: kill ${i} of ${times}, back${stalled ? `, ${stalled}` : ', every outbox drained'}`);
        if (stalled) notes.push(`kill ${i}: ${stalled}`);
      }
      return notes.length ? notes.join('; ') : undefined;
    },
  };
}

const service = (app: ServiceName): Scenario => ({
  name: app,
  description: `kill -9 the ${app} service at 30% of the load, start it again`,
  faults: [killService(app)],
});

/** Every scenario `npm run chaos` runs by default, in this order. */
export const SCENARIOS: Scenario[] = [
  service('catalog'),
  service('order'),
  service('payment'),
  service('delivery'),
  service('review'),
  {
    name: 'relay',
    description: 'crash the outbox relays of order, catalog, payment and delivery between publish and mark',
    faults: [crashRelay('order', 0.2), crashRelay('catalog', 0.3), crashRelay('payment', 0.4), crashRelay('delivery', 0.5)],
  },
  { name: 'gateway', description: 'kill -9 the gateway at 30% of the load, start it again on the same port', faults: [killGateway] },
  { name: 'broker', description: 'kill -9 the (private) Kafka broker at 30% of the load, start it again on the same port and data', faults: [killBroker] },
  {
    name: 'broker-10',
    description: 'kill -9 the broker ten times during a longer load; after each restart every outbox drains',
    faults: [killBrokerRepeatedly(10)],
    load: { orders: 1_200, rate: 12 },
  },
];

/** Not in the default set: the same load with no fault, a control for the checker. */
export const BASELINE: Scenario = { name: 'baseline', description: 'the load with no fault (control)', faults: [] };

export function scenarioNamed(name: string): Scenario {
  const found = [...SCENARIOS, BASELINE].find((s) => s.name === name);
  if (!found) throw new Error(`chaos: unknown scenario ${name}; one of ${[...SCENARIOS, BASELINE].map((s) => s.name).join(', ')}`);
  return found;
}
