import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './app-process';
import { TEST_JWT_SECRET } from './auth';
import { useKafka, TestKafka } from './kafka';
import { createTestDatabase, ServiceName, TestDatabase } from './postgres';
import { appsRegistry, workspaceRoot } from './workspace';

export interface PlatformOptions {
  apps: ServiceName[];
  /** Extra environment per app, e.g. courier delays. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Brokers instead of KAFKA_BROKERS (a private broker the caller may kill). */
  brokers?: string[];
}

interface Running {
  child: ChildProcess;
  port: number;
  output: string[];
}

/**
 * The platform's compiled apps as real processes, on their own database and
 * topic prefix: what end-to-end tests run against. Apps can be stopped,
 * killed (-9) and started again mid-test.
 */
export class TestPlatform {
  readonly db!: TestDatabase;
  readonly kafka!: TestKafka;
  private readonly running = new Map<ServiceName, Running>();
  private readonly ports = new Map<ServiceName, number>();

  private constructor(private options: PlatformOptions) {}

  static async start(options: PlatformOptions): Promise<TestPlatform> {
    const platform = new TestPlatform(options);
    const self = platform as { db: TestDatabase; kafka: TestKafka };
    self.db = await createTestDatabase();
    self.kafka = useKafka(options.brokers);
    try {
      for (const app of options.apps) await platform.db.migrate(app);
      await Promise.all(options.apps.map((app) => platform.startApp(app)));
    } catch (err) {
      // Leave no process behind: a child left running would keep Jest from ever exiting.
      await platform.stop().catch(() => undefined);
      throw err;
    }
    return platform;
  }

  url(app: ServiceName): string {
    const port = this.ports.get(app);
    if (!port) throw new Error(`testing: ${app} was never started`);
    return `http://127.0.0.1:${port}`;
  }

  /** Starts (or restarts, on the same port) an app and waits until it is ready. */
  async startApp(app: ServiceName): Promise<void> {
    const entry = join(workspaceRoot(), 'dist', 'apps', app, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`testing: ${entry} is missing; run npm run build (npm test does)`);
    const definition = appsRegistry().APPS.find((a) => a.name === app);
    const port = this.ports.get(app) ?? (await freePort());
    this.ports.set(app, port);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      KAFKA_BROKERS: this.kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${this.kafka.prefix}.`,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_APP_LOG_LEVEL ?? 'warn',
      OUTBOX_POLL_INTERVAL_MS: '200',
      RETRY_DELAYS_MS: '200,1000,3000',
      ...(this.options.env?.[app] ?? {}),
    };
    for (const [name, value] of Object.entries(env)) if (value === '') delete env[name];
    if (definition?.database) {
      env.DATABASE_URL = this.db.urlFor(app);
      env.DATABASE_SCHEMA = definition.database.schema;
    }
    const child = spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.running.set(app, { child, port, output });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      // A process killed by a signal (a chaos crash at boot) has no exit code, only a signal code.
      if (child.exitCode !== null || child.signalCode !== null) {
        this.running.delete(app);
        throw new Error(`testing: ${app} exited with ${child.exitCode ?? child.signalCode}:\n${output.join('')}`);
      }
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.killApp(app);
    throw new Error(`testing: ${app} not ready within 60 s:\n${output.join('')}`);
  }

  /** Graceful stop (SIGTERM): the app drains and exits. */
  async stopApp(app: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.running.get(app);
    if (!running || running.child.exitCode !== null || running.child.signalCode) return;
    const exited = new Promise((r) => running.child.once('exit', r));
    running.child.kill(signal);
    await exited;
    this.running.delete(app);
  }

  /** kill -9: no drain, no goodbye. */
  killApp(app: ServiceName): Promise<void> {
    return this.stopApp(app, 'SIGKILL');
  }

  /** Changes an app's environment for its next start (an empty value removes a variable). */
  setEnv(app: ServiceName, env: Record<string, string>): void {
    this.options.env = { ...this.options.env, [app]: { ...(this.options.env?.[app] ?? {}), ...env } };
  }

  /** Waits until an app's process has ended by itself (a crash under test). */
  async waitForExit(app: ServiceName, timeoutMs = 30_000): Promise<void> {
    const running = this.running.get(app);
    if (!running) return;
    if (running.child.exitCode === null && !running.child.signalCode) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`testing: ${app} did not exit within ${timeoutMs} ms`)), timeoutMs);
        running.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.running.delete(app);
  }

  isRunning(app: ServiceName): boolean {
    return this.running.has(app);
  }

  logs(app: ServiceName): string {
    return this.running.get(app)?.output.join('') ?? '';
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((app) => this.stopApp(app)));
    await this.kafka?.cleanup().catch(() => undefined);
    await this.db?.drop();
  }
}
