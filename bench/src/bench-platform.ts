import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, ServiceName, TEST_JWT_SECRET, TestPlatform, workspaceRoot } from '@shop/testing';

export const SERVICES: ServiceName[] = ['catalog', 'order', 'payment', 'delivery', 'review'];

export interface BenchPlatformOptions {
  /** Courier delays 0: an order moves on to DELIVERED as fast as the events allow. */
  instantCourier?: boolean;
  /** Services to run (default all five); the gateway's routes to the others then answer 503. */
  apps?: ServiceName[];
}

/**
 * The five services as real processes (TestPlatform: own database, own topic
 * prefix) and the gateway in front of them with the demo token issuer on, as
 * `npm start` runs it, but logging only warnings.
 */
export class BenchPlatform {
  private constructor(
    readonly platform: TestPlatform,
    private readonly gateway: ChildProcess,
    readonly gatewayUrl: string,
    /** Seconds from nothing to all six ready: new database, migrations, processes. */
    readonly startSeconds: number,
  ) {}

  static async start(options: BenchPlatformOptions = {}): Promise<BenchPlatform> {
    const started = performance.now();
    const courier: Record<string, string> = options.instantCourier ? { DELIVERY_DISPATCH_DELAY_MS: '0', DELIVERY_COMPLETE_DELAY_MS: '0' } : {};
    const apps = options.apps ?? SERVICES;
    const platform = await TestPlatform.start({ apps, env: { delivery: courier } });
    const port = await freePort();
    const gateway = spawn(process.execPath, ['--enable-source-maps', join(workspaceRoot(), 'dist', 'apps', 'api-gateway', 'src', 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        JWT_SECRET: TEST_JWT_SECRET,
        AUTH_DEMO_ISSUER: 'true',
        LOG_LEVEL: 'warn',
        // A service not started gets an address nothing listens on: its breaker opens, as in an outage.
        ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, apps.includes(s) ? platform.url(s) : 'http://127.0.0.1:9'])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The last lines only, to explain a gateway that fails to start; under load its warnings would flood the report.
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 100) output.shift();
    };
    gateway.stdout?.on('data', keep);
    gateway.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (gateway.exitCode !== null) throw new Error(`bench: the gateway exited with ${gateway.exitCode}:\n${output.join('')}`);
        if (Date.now() > deadline) throw new Error(`bench: the gateway was not ready within 30 s:\n${output.join('')}`);
        const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      gateway.kill('SIGKILL');
      await platform.stop();
      throw err;
    }
    return new BenchPlatform(platform, gateway, url, (performance.now() - started) / 1000);
  }

  /** The topic the order service publishes on (with this platform's prefix). */
  topic(name: string): string {
    return this.platform.kafka.topic(name);
  }

  async stop(): Promise<void> {
    if (this.gateway.exitCode === null && !this.gateway.signalCode) {
      const exited = new Promise((r) => this.gateway.once('exit', r));
      this.gateway.kill('SIGTERM');
      const kill = setTimeout(() => this.gateway.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    }
    await this.platform.stop();
  }
}
