import type { Admin } from 'kafkajs';
import { Client } from 'pg';
import { EventSubscriptions, EventType, retryTopic, ServiceNames, topicOf } from '@shop/shared/contracts';
import { AppProcess, freePort } from './app-process';
import { TEST_JWT_SECRET } from './auth';
import type { EventRecorder } from './events';
import { groupBehind, topicEnds, useKafka, TestKafka } from './kafka';
import { createTestDatabase, ServiceName, TestDatabase } from './postgres';
import { appsRegistry } from './workspace';

/** What each app consumes; an app that handles no event (a service just generated, say) has no entry. */
const SUBSCRIPTIONS: Partial<Record<ServiceName, readonly EventType[]>> = EventSubscriptions;

export interface PlatformOptions {
  apps: ServiceName[];
  /** Extra environment per app, e.g. courier delays. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Node options per app, e.g. `--cpu-prof` for a profile. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Brokers instead of KAFKA_BROKERS (a private broker the caller may kill). */
  brokers?: string[];
}

export interface SettledOptions {
  /** The test's recorder: it has also read to the end of its topics when settled() returns. */
  recorder?: EventRecorder;
  /** Apps whose work is left pending on purpose (one stopped for an outage): their groups and outbox are not waited for. */
  ignoring?: ServiceName[];
  /** How long to wait (30 s unless said); then it throws, naming what was still pending. */
  timeoutMs?: number;
}

/** A consumer group of an app and the topics it reads (prefixed). */
interface ConsumingGroup {
  app: ServiceName;
  group: string;
  topics: string[];
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

  /**
   * Waits until nothing is pending anywhere on the platform, so that "nothing
   * more happened" (a duplicate changed nothing, an order stays PENDING while
   * the catalog is down) is asserted after it instead of after a sleep: every
   * app's consumer group has committed past the end of each topic it consumes
   * (EventSubscriptions), and its retry group past the end of each retry tier,
   * so a record parked for later counts until it has been consumed; every
   * app's outbox holds no event still to publish (rows set aside for an
   * operator, and those queued behind them, wait for the operator, not for
   * time); and a look at the topics' ends after all that finds nothing new,
   * since a handler's events are published after its record is committed.
   * Then the recorder, if given, has read to the end. A late duplicate has
   * thus had its effect, if any, before the assertion, and nothing waits
   * when nothing is pending. What an app does on its own clock (the
   * courier's next step, a ticket's TTL) is not seen here.
   */
  async settled(options: SettledOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const apps = this.options.apps.filter((app) => !options.ignoring?.includes(app));
    const admin = this.kafka.kafka().admin();
    const outboxes = new Map<ServiceName, Client>();
    try {
      await admin.connect();
      for (const app of apps) {
        if (!appsRegistry().APPS.find((a) => a.name === app)?.database) continue;
        const client = new Client({ connectionString: this.db.urlFor(app) });
        outboxes.set(app, client);
        await client.connect();
      }
      for (;;) {
        // A look that fails (a topic just made, its leader not elected yet) is another reason to look again.
        const pending = await this.pending(admin, apps, outboxes).catch((err: Error) => [`a look failed: ${err.message}`]);
        if (pending.length === 0) break;
        if (Date.now() > deadline) throw new Error(`testing: the platform did not settle within ${timeoutMs} ms; still pending: ${pending.join('; ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
      await Promise.all([...outboxes.values()].map((client) => client.end().catch(() => undefined)));
    }
    await options.recorder?.caughtUp(Math.max(deadline - Date.now(), 1_000));
  }

  /** One look at the platform: what is still pending, in words; empty when it has settled. */
  private async pending(admin: Admin, apps: ServiceName[], outboxes: Map<ServiceName, Client>): Promise<string[]> {
    const groups = await this.consumingGroups(admin, apps);
    const topics = [...new Set(groups.flatMap((g) => g.topics))];
    const ends = await topicEnds(admin, topics);
    const pending: string[] = [];
    for (const { app, group, topics: read } of groups) {
      const behind = await groupBehind(admin, group, read, ends);
      if (behind.length) pending.push(`${group}${this.running.has(app) ? '' : ` (${app} is not running)`} has not consumed ${behind.join(', ')}`);
    }
    // A record committed above has its handler's events in the outbox already (same transaction): look there after.
    if (pending.length) return pending;
    for (const [app, client] of outboxes) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from outbox o where published_at is null and failed_at is null
           and not exists (select 1 from outbox f where f.failed_at is not null and f.published_at is null and f.key = o.key and f.seq < o.seq)`,
      );
      if (rows[0].n > 0) pending.push(`${rows[0].n} event(s) in ${app}'s outbox not published yet${this.running.has(app) ? '' : ` (${app} is not running)`}`);
    }
    if (pending.length) return pending;
    // Events published since the ends were read (by a handler of a record consumed meanwhile) are still to be consumed.
    const now = await topicEnds(admin, topics);
    const grown = [...now].filter(([partition, end]) => end !== ends.get(partition)).map(([partition]) => partition);
    return grown.length ? [`new records on ${grown.join(', ')}`] : [];
  }

  /**
   * Each app's consumer group (named after the app, under the platform's
   * topic prefix) with the topics of the events it subscribes to, and its
   * retry group with the retry tiers the broker holds for it.
   */
  private async consumingGroups(admin: Admin, apps: ServiceName[]): Promise<ConsumingGroup[]> {
    const existing = await admin.listTopics();
    const groups: ConsumingGroup[] = [];
    for (const app of apps) {
      const subscribed = SUBSCRIPTIONS[app] ?? [];
      if (subscribed.length === 0) continue;
      const group = `${this.kafka.prefix}.${app}`;
      const sources = [...new Set(subscribed.map((type) => this.kafka.topic(topicOf(type))))];
      const tiers = existing.filter((topic) => {
        const tier = /\.retry-(\d+)$/.exec(topic)?.[1];
        return tier !== undefined && sources.some((source) => topic === retryTopic(source, group, Number(tier)));
      });
      groups.push({ app, group, topics: sources });
      if (tiers.length) groups.push({ app, group: `${group}.retry`, topics: tiers });
    }
    return groups;
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
