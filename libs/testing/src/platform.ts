import { ServiceNames } from '@shop/shared/contracts';
import { AppProcess, freePort } from './app-process';
import { TEST_JWT_SECRET } from './auth';
import { useKafka, TestKafka } from './kafka';
import { createTestDatabase, ServiceName, TestDatabase } from './postgres';
import { appsRegistry } from './workspace';

export interface PlatformOptions {
  apps: ServiceName[];
  /** Extra environment per app, e.g. courier delays. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Node options per app, e.g. `--cpu-prof` for a profile. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Brokers instead of KAFKA_BROKERS (a private broker the caller may kill). */
  brokers?: string[];
}

/**
 * The platform's compiled apps as real processes, on their own database and
 * topic prefix: what end-to-end tests run against. Apps can be stopped,
 * killed (-9) and started again mid-test.
 */
export class TestPlatform {
  readonly db!: TestDatabase;
  readonly kafka!: TestKafka;
  private readonly running = new Map<ServiceName, AppProcess>();
  private readonly ports = new Map<ServiceName, number>();
  /** Second instances (a canary beside the stable one): stopped with the platform if the caller has not. */
  private readonly extra = new Set<AppProcess>();

  private constructor(private options: PlatformOptions) {}

  static async start(options: PlatformOptions): Promise<TestPlatform> {
    const platform = new TestPlatform(options);
    const self = platform as { db: TestDatabase; kafka: TestKafka };
    self.db = await createTestDatabase();
    self.kafka = useKafka(options.brokers);
    try {
      for (const app of options.apps) await platform.db.migrate(app);
      // Every port first: a service that calls another (an import from its export) is told where it runs.
      for (const app of options.apps) platform.ports.set(app, await freePort());
      // allSettled: an app still starting when another fails must be running (and so stopped) before we give up.
      const started = await Promise.allSettled(options.apps.map((app) => platform.startApp(app)));
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
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

  /** Starts (or restarts, on the same port) an app and waits until it is ready; `env` changes its settings from now on. */
  async startApp(app: ServiceName, env?: Record<string, string>): Promise<void> {
    if (env) this.options = { ...this.options, env: { ...this.options.env, [app]: { ...this.options.env?.[app], ...env } } };
    const port = this.ports.get(app) ?? (await freePort());
    this.ports.set(app, port);
    this.running.delete(app);
    this.running.set(app, await AppProcess.start(app, { env: this.envOf(app), port, nodeArgs: this.options.nodeArgs?.[app] }));
  }

  /**
   * Another instance of an app beside the one running (a canary): the same
   * database, brokers and consumer groups, its own port, plus `env`. Ready
   * when it resolves; stop it with stopInstance (the platform's stop does too).
   */
  async startInstance(app: ServiceName, env: Record<string, string>): Promise<AppProcess> {
    const instance = await AppProcess.start(app, { env: { ...this.envOf(app), ...env }, nodeArgs: this.options.nodeArgs?.[app] });
    this.extra.add(instance);
    return instance;
  }

  async stopInstance(instance: AppProcess): Promise<void> {
    await instance.stop(30_000);
    this.extra.delete(instance);
  }

  private envOf(app: ServiceName): Record<string, string> {
    const definition = appsRegistry().APPS.find((a) => a.name === app);
    const env: Record<string, string> = {
      KAFKA_BROKERS: this.kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${this.kafka.prefix}.`,
      JWT_SECRET: TEST_JWT_SECRET,
      OUTBOX_POLL_INTERVAL_MS: '200',
      RETRY_DELAYS_MS: '200,1000,3000',
      ...this.peerUrls(definition?.env ?? {}),
      ...(this.options.env?.[app] ?? {}),
    };
    if (definition?.database) {
      env.DATABASE_URL = this.db.urlFor(app);
      env.DATABASE_SCHEMA = definition.database.schema;
    }
    return env;
  }

  /**
   * The other services an app calls (`CATALOG_URL` for the order service, as
   * tools/apps.ts has it) at their ports here; one not started here gets an
   * address nothing answers on, never a local stack's port.
   */
  private peerUrls(env: Record<string, string>): Record<string, string> {
    const registry = appsRegistry().APPS;
    const urls: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      const port = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(value)?.[1];
      const peer = port && registry.find((a) => a.port === Number(port))?.name;
      if (!peer) continue;
      urls[name] = this.ports.has(peer as ServiceName) ? this.url(peer as ServiceName) : 'http://127.0.0.1:9';
    }
    return urls;
  }

  /** Graceful stop (SIGTERM: the app drains and exits), or kill -9 with SIGKILL. */
  async stopApp(app: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.running.get(app);
    if (!running) return;
    if (signal === 'SIGKILL') await running.kill();
    else await running.stop(30_000);
    this.running.delete(app);
  }

  /** kill -9: no drain, no goodbye. */
  killApp(app: ServiceName): Promise<void> {
    return this.stopApp(app, 'SIGKILL');
  }

  /** SIGSTOP: the app hangs, its port still accepting connections that nobody answers. */
  freezeApp(app: ServiceName): void {
    this.running.get(app)?.freeze();
  }

  /** SIGCONT: the frozen app carries on. */
  thawApp(app: ServiceName): void {
    this.running.get(app)?.thaw();
  }

  /** Changes an app's environment for its next start (an empty value removes a variable). */
  setEnv(app: ServiceName, env: Record<string, string>): void {
    this.options.env = { ...this.options.env, [app]: { ...(this.options.env?.[app] ?? {}), ...env } };
  }

  /** Waits until an app's process has ended by itself (a crash under test). */
  async waitForExit(app: ServiceName, timeoutMs = 30_000): Promise<void> {
    await this.running.get(app)?.waitForExit(timeoutMs);
    this.running.delete(app);
  }

  /**
   * The gateway's environment in front of this platform: the token secret and
   * each service's URL; a service never started gets an address nothing
   * answers on, so its breaker opens as in an outage. Its metrics listener
   * takes any free port (set METRICS_PORT to scrape it), and the rate limits
   * are far above what a test or a bench drives through one client: the
   * limits themselves are e2e/gateway's to test.
   */
  gatewayEnv(): Record<string, string> {
    const env: Record<string, string> = { JWT_SECRET: TEST_JWT_SECRET, METRICS_PORT: '0' };
    for (const kind of ['ANONYMOUS', 'READ', 'WRITE']) {
      env[`RATE_LIMIT_${kind}_PER_SECOND`] = '1000000';
      env[`RATE_LIMIT_${kind}_BURST`] = '1000000';
    }
    for (const app of ServiceNames) env[`${app.toUpperCase()}_URL`] = this.ports.has(app) ? this.url(app) : 'http://127.0.0.1:9';
    return env;
  }

  /** The app's process id, for /proc readings (the bench's CPU per request). */
  pid(app: ServiceName): number | undefined {
    return this.running.get(app)?.pid;
  }

  isRunning(app: ServiceName): boolean {
    return this.running.has(app);
  }

  logs(app: ServiceName): string {
    return this.running.get(app)?.logs() ?? '';
  }

  async stop(): Promise<void> {
    await Promise.all([...this.extra].map((instance) => this.stopInstance(instance)));
    await Promise.all([...this.running.keys()].map((app) => this.stopApp(app)));
    await this.kafka?.cleanup().catch(() => undefined);
    await this.db?.drop();
  }
}
