import type { EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { ContractViolation, Envelope, EventCatalog, isEventType, parseEnvelope } from '@shop/shared/contracts';
import type { MessageSender } from '../producer';
import { ensureTopics, withKafkaRetries as withRetries } from '../topics';
import { deadLetterTopic, DltHeaders, headerString, parkedMessage, retryTopic } from './dead-letter';
import { isRetryable } from './errors';
import { ConsumerHealth, ConsumerRun, SupervisedConsumer } from './supervised-consumer';

export interface EventContext {
  topic: string;
  partition: number;
  offset: string;
  /** Long handlers call this so the group does not think the consumer died. */
  heartbeat(): Promise<void>;
}

export type EventHandler = (event: Envelope, context: EventContext) => Promise<unknown>;

export type ConsumerOutcome = 'processed' | 'skipped' | 'retried' | 'dead-lettered';

export interface EventConsumerOptions {
  kafka: Kafka;
  /** Shared idempotent producer, used to park records in retry and dead-letter topics. */
  producer: MessageSender;
  groupId: string;
  topics: string[];
  /** Event type → handler; records of other types on the same topics are skipped. */
  handlers: Map<string, EventHandler>;
  /** One retry tier per delay, e.g. [1000, 10000, 60000]; after the last, the dead-letter topic. */
  retryDelaysMs?: number[];
  /**
   * Partitions handled at once (records of one partition always one after the other); by default 8. At 3,
   * the order service (four topics of three partitions) ran three handlers at a time and its hops queued:
   * p99 2.7 s from publish to handling at 25 orders/s, 1.2 s at 12 (bench/PROFILE.md). Each handler holds a
   * database connection, so the pool must cover this plus the retry consumer's (poolCoversHandlers).
   */
  partitionsConsumedConcurrently?: number;
  /** The same for the retry-tier consumer, which is mostly idle (default 2). */
  retryPartitionsConsumedConcurrently?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: object) => void;
  onOutcome?: (outcome: ConsumerOutcome, topic: string) => void;
}

/**
 * Consumes events with kafkajs `eachMessage` and never lets one record block
 * its partition. A failing record is parked in the group's next retry tier
 * (`<topic>.<group>.retry-<n>`, due after that tier's delay) or, when it can
 * never succeed or the tiers are spent, in `<topic>.<group>.dlt`. A retry
 * consumer pauses a tier's partition until its head record is due instead of
 * sleeping in a handler. Offsets are committed only for records whose effect
 * is stored or that are safely parked, so nothing is lost.
 */
export class EventConsumer {
  private main?: SupervisedConsumer;
  private retry?: SupervisedConsumer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delays: number[];
  private readonly log: NonNullable<EventConsumerOptions['log']>;

  constructor(private readonly options: EventConsumerOptions) {
    this.delays = options.retryDelaysMs ?? [1_000, 10_000, 60_000];
    this.log = options.log ?? (() => undefined);
  }

  get retryTopics(): string[] {
    return this.options.topics.flatMap((t) => this.delays.map((_, i) => retryTopic(t, this.options.groupId, i + 1)));
  }

  get deadLetterTopics(): string[] {
    return this.options.topics.map((t) => deadLetterTopic(t, this.options.groupId));
  }

  /** The main group and, with retry tiers, the retry group: each joined and running, or why not. */
  health(): ConsumerHealth[] {
    return [this.main, this.retry].filter((c): c is SupervisedConsumer => c !== undefined).map((c) => c.health());
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    // ensureTopics retries on its own while new topics have no leader yet.
    await ensureTopics(kafka, topics);
    await ensureTopics(
      kafka,
      topics.flatMap((source) => [
        ...this.delays.map((_, i) => ({ topic: retryTopic(source, groupId, i + 1), sameAs: source })),
        { topic: deadLetterTopic(source, groupId), sameAs: source },
      ]),
    );
    // Topics another service has just created may have no leader yet: retry what the broker calls retriable.
    const main = this.supervised(groupId, topics, this.options.partitionsConsumedConcurrently ?? 8, (payload, run) => this.onSource(payload, run));
    this.main = main;
    await withRetries(() => main.start());
    if (this.delays.length) {
      // Its own group: kafkajs's assigners assume every member of a group subscribes to the same topics.
      const retry = this.supervised(`${groupId}.retry`, this.retryTopics, this.options.retryPartitionsConsumedConcurrently ?? 2, (payload, run) =>
        this.onRetry(payload, run),
      );
      this.retry = retry;
      await withRetries(() => retry.start());
    }
  }

  /** Stops fetching, lets in-flight handlers finish, commits what is finished, leaves the groups, disconnects. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([this.main?.stop(), this.retry?.stop()]);
    this.main = this.retry = undefined;
  }

  private supervised(
    groupId: string,
    topics: string[],
    concurrency: number,
    handle: (payload: EachMessagePayload, run: ConsumerRun) => Promise<void>,
  ): SupervisedConsumer {
    return new SupervisedConsumer({
      kafka: this.options.kafka,
      groupId,
      topics,
      config: {
        // A crashed member's partitions move to the others after this long.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        // A fetch returns as soon as a record arrives; the wait bounds only idle fetches, and so shutdown.
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
        retry: { retries: 10 },
      },
      log: this.log,
      run: (run) => ({
        partitionsConsumedConcurrently: concurrency,
        eachMessage: async (payload) => {
          // A stop began: leave the record for the group's next owner rather than start work on it.
          if (!run.accepting()) return;
          await handle(payload, run);
        },
      }),
    });
  }

  private async onSource(payload: EachMessagePayload, run: ConsumerRun): Promise<void> {
    await this.process(payload, 0);
    run.tracker.finished(payload.topic, payload.partition, payload.message.offset);
  }

  private async onRetry(payload: EachMessagePayload, run: ConsumerRun): Promise<void> {
    const { topic, partition, message } = payload;
    const dueAt = Number(headerString(message.headers, DltHeaders.dueAt) ?? 0);
    const wait = dueAt - Date.now();
    if (wait > 0) {
      // Not due: stop this tier's partition and read the record again when it is. Records of a tier
      // are in due order, so nothing behind it is due earlier.
      const resume = payload.pause();
      run.consumer.seek({ topic, partition, offset: message.offset });
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resume();
      }, wait);
      this.timers.add(timer);
      return;
    }
    const attempts = Number(headerString(message.headers, DltHeaders.attempts) ?? 0);
    await this.process(payload, attempts);
    run.tracker.finished(topic, partition, message.offset);
  }

  /** Handles one record; on failure parks it one tier further, or dead-letters it. */
  private async process(payload: EachMessagePayload, attemptsBefore: number): Promise<void> {
    const { topic, partition, message, heartbeat } = payload;
    let event: Envelope;
    try {
      event = parseEnvelope(JSON.parse(message.value?.toString() ?? ''));
      assertKnownVersion(event);
    } catch (err) {
      const violation = err instanceof ContractViolation ? err : new ContractViolation(`not JSON: ${(err as Error).message}`);
      return this.park(payload, violation, attemptsBefore + 1, 'dlt');
    }
    const handler = this.options.handlers.get(event.type);
    if (!handler) {
      this.options.onOutcome?.('skipped', this.sourceTopic(topic, message));
      return;
    }
    try {
      await handler(event, { topic, partition, offset: message.offset, heartbeat });
      this.options.onOutcome?.('processed', this.sourceTopic(topic, message));
    } catch (err) {
      const attempts = attemptsBefore + 1;
      const next = isRetryable(err) && attemptsBefore < this.delays.length ? attemptsBefore + 1 : 'dlt';
      if (next !== 'dlt') this.log('warn', `${event.type} ${event.id} failed (attempt ${attempts}), retry tier ${next}: ${(err as Error).message}`);
      await this.park(payload, err, attempts, next);
    }
  }

  /** The first topic a record came from, also when it is read back from a retry tier. */
  private sourceTopic(topic: string, message: KafkaMessage): string {
    return headerString(message.headers, DltHeaders.originalTopic) ?? topic;
  }

  private async park(payload: EachMessagePayload, error: unknown, attempts: number, tier: number | 'dlt'): Promise<void> {
    const { topic, partition, message } = payload;
    const source = this.sourceTopic(topic, message);
    const target = tier === 'dlt' ? deadLetterTopic(source, this.options.groupId) : retryTopic(source, this.options.groupId, tier);
    const dueAt = tier === 'dlt' ? undefined : Date.now() + (this.delays[tier - 1] ?? 0);
    // If this send fails, eachMessage throws, the offset is not committed and the record is read again: never lost.
    await this.options.producer.send({
      topic: target,
      acks: -1,
      messages: [parkedMessage({ topic, partition, message }, this.options.groupId, error, attempts, dueAt)],
    });
    this.options.onOutcome?.(tier === 'dlt' ? 'dead-lettered' : 'retried', source);
    if (tier === 'dlt') {
      this.log('error', `dead-lettered ${topic}[${partition}]@${message.offset} to ${target} after ${attempts} attempt(s): ${(error as Error)?.message ?? error}`);
    }
  }
}


/**
 * A newer version of an event than this build knows was not validated by
 * parseEnvelope; it must never reach a handler written for the old one.
 * Dead-lettered, it waits for a deployment that knows it, then a replay.
 */
function assertKnownVersion(event: Envelope): void {
  if (!isEventType(event.type)) return;
  const known = EventCatalog[event.type].version;
  if (event.version > known) {
    throw new ContractViolation(`${event.type} v${event.version} is newer than this consumer knows (v${known}); replay it after an upgrade`);
  }
}
