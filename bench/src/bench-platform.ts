import { join } from 'node:path';
import { ServiceName, ServiceNames } from '@shop/shared/contracts';
import { AppProcess, TestPlatform, tokenFor } from '@shop/testing';

export const SERVICES: ServiceName[] = [...ServiceNames];

export interface BenchPlatformOptions {
  /** Courier delays 0: an order moves on to DELIVERED as fast as the events allow. */
  instantCourier?: boolean;
  /** Services to run (default all five); the gateway's routes to the others then answer 503. */
  apps?: ServiceName[];
  /** Extra environment per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * The waiting room in front of checkout: held closed by an operator (the default: a bench of the lifecycle's
   * own cost and latency places every order at once, as before the room existed), or deciding by itself.
   */
  waitingRoom?: 'closed' | 'auto';
}

/**
 * The five services as real processes (TestPlatform: own database, own topic
 * prefix) and the gateway in front of them with the demo token issuer on, as
 * `npm start` runs it, but logging only warnings.
 */
export class BenchPlatform {
  private constructor(
    readonly platform: TestPlatform,
    private readonly gateway: AppProcess,
    /** Seconds from nothing to all six ready: new database, migrations, processes. */
    readonly startSeconds: number,
  ) {}

  static async start(options: BenchPlatformOptions = {}): Promise<BenchPlatform> {
    const started = performance.now();
    const courier: Record<string, string> = options.instantCourier ? { DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' } : {};
    const apps = options.apps ?? SERVICES;
    // BENCH_NODE_ARGS: node options for every service (to try a V8 flag); BENCH_CPU_PROFILE=order[,catalog...]:
    // V8 CPU profiles of those services, written when the platform stops.
    const common = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const profiled = new Set((process.env.BENCH_CPU_PROFILE ?? '').split(',').filter(Boolean));
    const nodeArgs: Partial<Record<ServiceName, string[]>> = {};
    for (const app of apps) {
      const profile = profiled.has(app) ? ['--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), '.local', 'bench-profiles', app)}`] : [];
      nodeArgs[app] = [...common, ...profile];
    }
    const platform = await TestPlatform.start({ apps, env: { ...options.env, delivery: { ...options.env?.delivery, ...courier } }, nodeArgs });
    try {
      const gateway = await AppProcess.start('api-gateway', {
        readyTimeoutMs: 30_000,
        env: {
          ...platform.gatewayEnv(),
          AUTH_DEMO_ISSUER: 'true',
          LOG_LEVEL: 'warn',
        },
      });
      const bench = new BenchPlatform(platform, gateway, (performance.now() - started) / 1000);
      if (apps.includes('order')) await bench.setWaitingRoom(options.waitingRoom ?? 'closed');
      return bench;
    } catch (err) {
      await platform.stop();
      throw err;
    }
  }

  /** As an operator would, through the gateway's admin route. */
  async setWaitingRoom(mode: 'closed' | 'auto'): Promise<void> {
    const res = await fetch(`${this.gateway.url}/api/admin/waiting-room`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenFor('bench-operator', 'admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode, ratePerSecond: null }),
    });
    if (res.status !== 200) throw new Error(`bench: setting the waiting room to ${mode}: ${res.status} ${await res.text()}`);
  }

  get gatewayUrl(): string {
    return this.gateway.url;
  }

  get gatewayPid(): number {
    return this.gateway.pid as number;
  }

  freezeGateway(): void {
    this.gateway.freeze();
  }

  thawGateway(): void {
    this.gateway.thaw();
  }

  /** The topic the order service publishes on (with this platform's prefix). */
  topic(name: string): string {
    return this.platform.kafka.topic(name);
  }

  async stop(): Promise<void> {
    await this.gateway.stop(10_000);
    await this.platform.stop();
  }
}
