import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { OffsetTracker } from './offset-tracker';

export type ConsumerStatus = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

/** What readiness and metrics say about one consumer group member. */
export interface ConsumerHealth {
  group: string;
  status: ConsumerStatus;
  since: Date;
  restarts: number;
  lastError?: string;
}

/** What the supervised consumer hands to the code that processes records. */
export interface ConsumerRun {
  consumer: Consumer;
  tracker: OffsetTracker;
  /** False once a stop began: finish nothing new, the records are read again by the next owner. */
  accepting(): boolean;
}

export interface SupervisedConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  config?: Omit<ConsumerConfig, 'groupId'>;
  /** eachMessage or eachBatch for one consumer instance; wrapped so a stop can wait for it. */
  run(run: ConsumerRun): Pick<ConsumerRunConfig, 'eachMessage' | 'eachBatch' | 'partitionsConsumedConcurrently'>;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** First restart delay; doubles per failed attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * One kafkajs consumer that comes back after any crash. kafkajs restarts a
 * consumer only after a crash it deems retriable; after any other
 * (KafkaJSGroupCoordinatorNotFound while a new broker elects its coordinator,
 * say) it disconnects for good and nothing tells the application. Here every
 * crash is taken over: kafkajs's own restart is turned off, the crash is
 * logged, and a new consumer joins after a capped backoff. Its health says
 * whether it has joined the group and runs, for readiness.
 *
 * Stopping commits before leaving: new records are refused, the handlers in
 * flight finish, finished offsets are committed while still a member, then the
 * consumer leaves the group and disconnects.
 */
export class SupervisedConsumer {
  private consumer?: Consumer;
  private tracker?: OffsetTracker;
  private state: ConsumerHealth;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private attempt = 0;
  private inFlight = 0;
  private idle?: () => void;
  private readonly log: NonNullable<SupervisedConsumerOptions['log']>;

  constructor(private readonly options: SupervisedConsumerOptions) {
    this.state = { group: options.groupId, status: 'stopped', since: new Date(), restarts: 0 };
    this.log = options.log ?? (() => undefined);
  }

  get current(): Consumer | undefined {
    return this.consumer;
  }

  health(): ConsumerHealth {
    return { ...this.state };
  }

  /** Connects, subscribes and runs; a failure here is the caller's (start-up) error. Crashes after that are supervised. */
  async start(): Promise<void> {
    this.stopping = false;
    this.setStatus('starting');
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.setStatus('stopping');
    const consumer = this.consumer;
    const tracker = this.tracker;
    if (consumer) {
      // Stop fetching, let what is in flight finish, commit it while still a member, then leave.
      consumer.pause(this.options.topics.map((topic) => ({ topic })));
      await this.drained();
      await tracker?.stop();
      await consumer.disconnect().catch((err) => this.log('warn', `${this.options.groupId}: disconnect failed: ${(err as Error).message}`));
    }
    this.consumer = this.tracker = undefined;
    this.setStatus('stopped');
  }

  private async launch(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({
      ...this.options.config,
      groupId,
      // Every crash comes to onCrash; kafkajs restarting some of them itself would be a second, partial supervisor.
      retry: { ...this.options.config?.retry, restartOnFailure: async () => false },
    });
    const tracker = new OffsetTracker(consumer);
    this.consumer = consumer;
    this.tracker = tracker;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.consumer !== consumer || this.stopping) return;
      if (this.state.status !== 'running') this.log('info', `${groupId}: joined the group, consuming ${topics.join(', ')}`);
      this.attempt = 0;
      this.setStatus('running');
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (this.consumer !== consumer) return;
      void this.onCrash(event.payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      const { eachMessage, eachBatch, partitionsConsumedConcurrently } = this.options.run({
        consumer,
        tracker,
        accepting: () => !this.stopping && this.consumer === consumer,
      });
      await consumer.run({
        autoCommit: false,
        // Offsets are resolved record by record as they finish: a batch left early (a stop, a record that
        // could not be parked) must be fetched again from its first unfinished record, not skipped.
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently,
        eachMessage: eachMessage && ((payload) => this.track(() => eachMessage(payload))),
        eachBatch: eachBatch && ((payload) => this.track(() => eachBatch(payload))),
      });
      tracker.start();
    } catch (err) {
      this.consumer = this.tracker = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private async onCrash(error: Error): Promise<void> {
    // kafkajs has already stopped and disconnected this consumer; its unflushed offsets are read again.
    await this.tracker?.stop({ commit: false });
    this.consumer = this.tracker = undefined;
    if (this.stopping) return;
    this.state.restarts += 1;
    this.setStatus('restarting', `${error.name}: ${error.message}`);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const base = this.options.backoffMs ?? 500;
    const delay = Math.min(base * 2 ** this.attempt, this.options.maxBackoffMs ?? 30_000);
    this.attempt += 1;
    this.log('error', `${this.options.groupId}: consumer crashed (${this.state.lastError}); restarting in ${delay} ms (attempt ${this.attempt})`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch().catch((err) => {
        this.state.lastError = `${(err as Error).name}: ${(err as Error).message}`;
        this.scheduleRestart();
      });
    }, delay);
  }

  private async track<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  private drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = () => {
        this.idle = undefined;
        resolve();
      };
    });
  }

  private setStatus(status: ConsumerStatus, error?: string): void {
    this.state = { ...this.state, status, since: new Date(), ...(error ? { lastError: error } : {}) };
  }
}
