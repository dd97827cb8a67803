import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { Envelope, EventCatalog, EventType, ServiceName } from '@shop/shared/contracts';
import { TEST_JWT_SECRET } from './auth';
import { eventRecord, EventRecorder, eventually } from './events';
import { consumedAll, TestKafka, useKafka } from './kafka';
import { createTestDatabase, TestDatabase } from './postgres';

/** A service started in-process (what `startServiceForTest` of `@shop/platform/service` gives). */
export interface StartedService<App> {
  app: App;
  url: string;
}

export interface ServiceStackOptions<App> {
  /** Starts the service with this environment, e.g. `(env) => startServiceForTest(catalogService, env)`. */
  start(env: NodeJS.ProcessEnv): Promise<StartedService<App>>;
  /** Stops it, e.g. `closeService`. */
  stop(app: App): Promise<void>;
  /** The topics it consumes (unprefixed, e.g. `Topics.orderOrders`): created before it starts. */
  consumes: string[];
  /** The topics whose events the spec records (unprefixed). */
  records: string[];
  /** More environment for the service. */
  env?: NodeJS.ProcessEnv;
  /** How many instances start (one group, one database), 1 unless said. */
  instances?: number;
}

export interface ServiceStack<App> {
  db: TestDatabase;
  kafka: TestKafka;
  /** The service's first instance, and its URL. */
  app: App;
  url: string;
  /** Every instance running, first to last, and their URLs. */
  apps: App[];
  urls: string[];
  /** Another instance beside the others, with `overrides` to its environment. */
  startInstance(overrides?: NodeJS.ProcessEnv): Promise<App>;
  stopInstance(app: App): Promise<void>;
  /** Everything published on the recorded topics, from the beginning. */
  recorder: EventRecorder;
  /** `<prefix>.<name>`: a topic of this suite only. */
  topic(name: string): string;
  /** The environment an instance of the service starts with. */
  env(): NodeJS.ProcessEnv;
  /** Publishes an event as its owning service would (keyed by the aggregate, id and type in headers), to its topic. */
  publish(type: EventType, aggregateId: string, data: unknown, options?: { id?: string; aggregateVersion?: number }): Promise<Envelope>;
  /**
   * Everything published to the service so far is handled, the events it wrote are published and recorded: what
   * "nothing more happened" is asserted after. A late duplicate is handled before this returns, so no sleep is needed.
   */
  settled(): Promise<void>;
}

/**
 * One service in-process against the real Postgres and Kafka, for its
 * integration spec: its own database (migrated) and topic prefix, the topics
 * it consumes created, a recorder of what it publishes, and a producer to
 * publish to it as its upstreams would. Call it in a describe: it starts in
 * beforeAll and stops (dropping what it made) in afterAll.
 */
export function useServiceStack<App>(service: ServiceName, options: ServiceStackOptions<App>): ServiceStack<App> {
  let producer: Producer | undefined;
  const running: Array<StartedService<App>> = [];
  const first = () => {
    if (!running[0]) throw new Error(`testing: ${service} is not running`);
    return running[0];
  };
  const stack = {
    db: undefined as unknown as TestDatabase,
    kafka: undefined as unknown as TestKafka,
    recorder: undefined as unknown as EventRecorder,
    get app(): App {
      return first().app;
    },
    get url(): string {
      return first().url;
    },
    get apps(): App[] {
      return running.map((r) => r.app);
    },
    get urls(): string[] {
      return running.map((r) => r.url);
    },
    async startInstance(overrides: NodeJS.ProcessEnv = {}): Promise<App> {
      const instance = await options.start({ ...stack.env(), ...overrides });
      running.push(instance);
      return instance.app;
    },
    async stopInstance(app: App): Promise<void> {
      const at = running.findIndex((r) => r.app === app);
      if (at >= 0) running.splice(at, 1);
      await options.stop(app);
    },
    topic: (name: string) => stack.kafka.topic(name),
    env: (): NodeJS.ProcessEnv => ({
      DATABASE_URL: stack.db.urlFor(service),
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: `${stack.kafka.prefix}.`,
      JWT_SECRET: TEST_JWT_SECRET,
      OUTBOX_POLL_INTERVAL_MS: '200',
      ...options.env,
    }),
    async publish(type: EventType, aggregateId: string, data: unknown, publishOptions: { id?: string; aggregateVersion?: number } = {}): Promise<Envelope> {
      const { envelope, message } = eventRecord(type, aggregateId, data, { id: publishOptions.id ?? randomUUID(), aggregateVersion: publishOptions.aggregateVersion });
      if (!producer) throw new Error(`testing: ${service}'s stack has not started`);
      await producer.send({ topic: stack.topic(EventCatalog[type].topic), messages: [message] });
      return envelope;
    },
    async settled(): Promise<void> {
      if (options.consumes.length) await consumedAll(stack.kafka.kafka(), `${stack.kafka.prefix}.${service}`, options.consumes.map(stack.topic));
      const db = new Client({ connectionString: stack.db.urlFor(service) });
      await db.connect();
      try {
        await eventually(async () => {
          const { rows } = await db.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null');
          if (rows[0].n > 0) throw new Error(`${rows[0].n} events of ${service} not published yet`);
        });
      } finally {
        await db.end();
      }
      await stack.recorder.caughtUp();
    },
  };

  beforeAll(async () => {
    stack.db = await createTestDatabase();
    await stack.db.migrate(service);
    stack.kafka = useKafka();
    if (options.consumes.length) await stack.kafka.createTopics(options.consumes.map(stack.topic));
    for (let i = 0; i < (options.instances ?? 1); i++) await stack.startInstance();
    stack.recorder = new EventRecorder(stack.kafka.kafka(), options.records.map(stack.topic));
    await stack.recorder.start();
    producer = stack.kafka.kafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack.recorder?.stop();
    for (const { app } of running.splice(0)) await options.stop(app);
    await stack.kafka?.cleanup();
    await stack.db?.drop();
  });

  return stack;
}
