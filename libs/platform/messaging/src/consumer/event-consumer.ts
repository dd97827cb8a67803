import type { Batch, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lockShared } from '@shop/platform/database';
import { ContractViolation, Envelope, EventCatalog, isEventType, parseEnvelope } from '@shop/shared/contracts';
import { claimEvents } from '../inbox/inbox';
import type { MessageSender } from '../producer';
import { ensureTopics, waitForGroupCoordinators, withKafkaRetries as withRetries } from '../topics';
import type { UnitOfWork, UnitTx } from '../unit-of-work/unit-of-work';
import { deadLetterTopic, DltHeaders, headerString, parkedMessage, retryTopic } from './dead-letter';
import { isRetryable } from './errors';
import { ConsumerHealth, ConsumerRun, SupervisedConsumer } from './supervised-consumer';

export interface EventContext {
  topic: string;
  partition: number;
  offset: string;
  /** Long handlers call this so the group does not think the consumer died. */
  heartbeat(): Promise<void>;
  /**
   * The unit of work the record is applied in, beside the other records of its
   * batch; the event is in the group's inbox already. Absent for an isolated
   * handler, which runs its own units and claims the event with `claim`.
   */
  tx?: UnitTx;
  /** Records this event in the group's inbox inside `tx`; false when it was processed before. */
  claim(tx: UnitTx): Promise<boolean>;
}

export interface EventHandler {
  handle(event: Envelope, context: EventContext): Promise<unknown>;
  /**
   * Runs alone, outside any batch, in units of its own: for a handler that
   * calls the outside world (a payment provider) and must not hold a
   * transaction meanwhile.
   */
  isolated?: boolean;
  /**
   * Names of what the handler changes that records of other partitions change
   * too (every placed order changes the stock of products other orders share).
   * A unit takes the lock of every name its records' handlers give before it
   * applies any of them, all in one order, so units applied at once (other
   * partitions, other instances) wait for each other instead of deadlocking.
   */
  locks?: string[];
}

export type ConsumerOutcome = 'processed' | 'skipped' | 'retried' | 'dead-lettered';

export interface EventConsumerOptions {
  kafka: Kafka;
  /** Shared idempotent producer, used to park records in retry and dead-letter topics. */
  producer: MessageSender;
  /** The service's unit of work: a batch of records is applied in one. */
  unitOfWork: UnitOfWork;
  groupId: string;
  topics: string[];
  /** Event type → handler; records of other types on the same topics are skipped. */
  handlers: Map<string, EventHandler>;
  /** One retry tier per delay, e.g. [1000, 10000, 60000]; after the last, the dead-letter topic. */
  retryDelaysMs?: number[];
  /**
   * Partitions handled at once (a partition's records always in order); by default 8. At 3, the order
   * service (four topics of three partitions) ran three partitions at a time and its hops queued
   * (bench/PROFILE.md). Each batch in flight holds a database connection, so the pool must cover this
   * plus the retry consumer's (poolCoversHandlers).
   */
  partitionsConsumedConcurrently?: number;
  /** The same for the retry-tier consumer, which is mostly idle (default 2). */
  retryPartitionsConsumedConcurrently?: number;
  /** Runs the handling of one record, e.g. inside a span that continues the record's trace. */
  wrapRecord?: <T>(record: { topic: string; key: KafkaMessage['key']; headers: KafkaMessage['headers'] }, work: () => Promise<T>) => Promise<T>;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: object) => void;
  onOutcome?: (outcome: ConsumerOutcome, topic: string) => void;
}

/** One record of a fetched batch, parsed once. */
interface Item {
  message: KafkaMessage;
  event?: Envelope;
  violation?: ContractViolation;
  handler?: EventHandler;
}

/**
 * Consumes events batch by batch and never lets one record block its
 * partition (docs/contract.md).
 *
 * A partition's fetched records whose handlers can share a transaction are
 * applied in one unit of work: one inbox statement decides which are new,
 * the shared locks their handlers name are taken (EventHandler.locks), each
 * new one is applied in order, their state changes and outbox rows are
 * written, one commit; then their offsets are resolved and committed. When a
 * record of the batch fails, the batch is rolled back and applied record by
 * record, so only the failing one goes to its retry tier and nothing is lost
 * or applied twice. A failing record is parked in the group's next retry tier
 * (`<topic>.<group>.retry-<n>`, due after that tier's delay) or, when it can
 * never succeed or the tiers are spent, in `<topic>.<group>.dlt`. A retry
 * consumer pauses a tier's partition until its head record is due. Offsets are
 * committed only for records whose effect is stored or that are safely parked.
 *
 * Nothing is ever thrown out of eachBatch (kafkajs would then reprocess every
 * partition in flight): a record that cannot even be parked is read again
 * after a pause, by seeking back to it.
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
    await waitForGroupCoordinators(kafka, this.delays.length ? [groupId, `${groupId}.retry`] : [groupId]);
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

  /** Stops fetching, lets in-flight batches finish, commits what is finished, leaves the groups, disconnects. */
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
    handle: (payload: EachBatchPayload, run: ConsumerRun) => Promise<void>,
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
        eachBatch: async (payload) => {
          try {
            await handle(payload, run);
          } catch (err) {
            // Unreachable by design (every path below parks or seeks); logged rather than thrown, see the class comment.
            this.log('error', `${groupId}: batch of ${payload.batch.topic}[${payload.batch.partition}] failed: ${(err as Error).message}`);
          }
        },
      }),
    });
  }

  /**
   * A source topic's batch: runs of records that can share a unit are applied
   * together, the others one by one. When a record's handler fails, the unit
   * is rolled back: the records before it are applied again together, and the
   * failing one is parked with its error (that was its attempt).
   */
  private async onSource(payload: EachBatchPayload, run: ConsumerRun): Promise<void> {
    const { batch } = payload;
    const items = batch.messages.map((message) => this.parse(message));
    const batchable = (it: Item) => it.handler !== undefined && !it.violation && !it.handler.isolated;
    let i = 0;
    let limit = items.length;
    while (i < items.length && run.accepting() && payload.isRunning() && !payload.isStale()) {
      if (!batchable(items[i])) {
        if (!(await this.applyAlone(payload, run, items[i], 0))) return;
        i += 1;
        continue;
      }
      let j = i + 1;
      while (j < limit && batchable(items[j])) j += 1;
      const group = items.slice(i, j);
      const result = await this.applyTogether(payload, group);
      if (result.ok) {
        for (const it of group) this.finished(payload, run, it.message);
        i = j;
        limit = items.length;
      } else if (result.failedAt === undefined) {
        // The unit failed as a whole (at its commit, say): no record to blame, so each goes alone.
        for (const it of group) if (!(await this.applyAlone(payload, run, it, 0))) return;
        i = j;
      } else if (result.failedAt > 0) {
        limit = i + result.failedAt;
      } else {
        if (!(await this.settle(payload, run, items[i], result.error, 0))) return;
        i += 1;
        limit = items.length;
      }
      await payload.heartbeat();
    }
  }

  /** A retry tier's batch: each record once it is due, one by one (tiers are quiet; each is its own unit). */
  private async onRetry(payload: EachBatchPayload, run: ConsumerRun): Promise<void> {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!run.accepting() || !payload.isRunning() || payload.isStale()) return;
      const wait = Number(headerString(message.headers, DltHeaders.dueAt) ?? 0) - Date.now();
      if (wait > 0) {
        // Not due: stop this tier's partition and read the record again when it is. Records of a tier
        // are in due order, so nothing behind it is due earlier.
        this.pauseUntilDue(run, batch, message, wait);
        return;
      }
      const attempts = Number(headerString(message.headers, DltHeaders.attempts) ?? 0);
      if (!(await this.applyAlone(payload, run, this.parse(message), attempts))) return;
      await payload.heartbeat();
    }
  }

  private pauseUntilDue(run: ConsumerRun, batch: Batch, message: KafkaMessage, wait: number): void {
    const partition = [{ topic: batch.topic, partitions: [batch.partition] }];
    run.consumer.pause(partition);
    run.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: message.offset });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // After a restart this consumer is gone, and its successor reads the record anyway.
      if (run.accepting()) run.consumer.resume(partition);
    }, wait);
    this.timers.add(timer);
  }

  private parse(message: KafkaMessage): Item {
    try {
      const event = parseEnvelope(JSON.parse(message.value?.toString() ?? ''));
      assertKnownVersion(event);
      return { message, event, handler: this.options.handlers.get(event.type) };
    } catch (err) {
      const violation = err instanceof ContractViolation ? err : new ContractViolation(`not JSON: ${(err as Error).message}`);
      return { message, violation };
    }
  }

  /**
   * Applies records in one unit: one inbox statement, each new event in order,
   * one commit. When it fails, nothing of it is kept, and `failedAt` is the
   * record whose handler threw (none when the unit failed elsewhere).
   */
  private async applyTogether(payload: EachBatchPayload, items: Item[]): Promise<{ ok: true } | { ok: false; failedAt?: number; error: unknown }> {
    const { batch, heartbeat } = payload;
    let failedAt: number | undefined;
    try {
      await this.options.unitOfWork.run(async (tx) => {
        const fresh = await claimEvents(
          tx,
          this.options.groupId,
          items.map((it) => ({ id: it.event?.id ?? '', type: it.event?.type ?? '' })),
        );
        await lockShared(
          tx,
          items.filter((it) => fresh.has((it.event as Envelope).id.toLowerCase())).flatMap((it) => it.handler?.locks ?? []),
        );
        for (const [index, it] of items.entries()) {
          const event = it.event as Envelope;
          const handler = it.handler as EventHandler;
          // The same event twice in one batch (a republished copy) is applied once.
          if (!fresh.delete(event.id.toLowerCase())) continue;
          failedAt = index;
          await this.wrap(batch.topic, it.message, () => handler.handle(event, this.context(batch, it.message, event, heartbeat, tx)));
          failedAt = undefined;
        }
      });
      for (const it of items) this.options.onOutcome?.('processed', this.sourceTopic(batch.topic, it.message));
      return { ok: true };
    } catch (error) {
      return { ok: false, failedAt, error };
    }
  }

  /**
   * One record in a unit of its own (or an isolated handler's own units); a
   * failure parks it. False when it could not even be parked: the partition
   * then reads it again after a pause, from this offset.
   */
  private async applyAlone(payload: EachBatchPayload, run: ConsumerRun, item: Item, attemptsBefore: number): Promise<boolean> {
    const { batch, heartbeat } = payload;
    let failure: unknown;
    if (item.violation) {
      failure = item.violation;
    } else if (!item.handler || !item.event) {
      this.options.onOutcome?.('skipped', this.sourceTopic(batch.topic, item.message));
    } else {
      const { event, handler } = item;
      try {
        await this.wrap(batch.topic, item.message, async () => {
          if (handler.isolated) return handler.handle(event, this.context(batch, item.message, event, heartbeat));
          return this.options.unitOfWork.run(async (tx) => {
            if ((await claimEvents(tx, this.options.groupId, [event])).size === 0) return;
            await lockShared(tx, handler.locks ?? []);
            await handler.handle(event, this.context(batch, item.message, event, heartbeat, tx));
          });
        });
        this.options.onOutcome?.('processed', this.sourceTopic(batch.topic, item.message));
      } catch (err) {
        failure = err;
      }
    }
    return this.settle(payload, run, item, failure, attemptsBefore);
  }

  /** A record is done: applied (no failure), or parked one tier further or in the dead-letter topic. */
  private async settle(payload: EachBatchPayload, run: ConsumerRun, item: Item, failure: unknown, attemptsBefore: number): Promise<boolean> {
    const { batch } = payload;
    if (failure !== undefined) {
      const attempts = attemptsBefore + 1;
      const tier = item.violation || !isRetryable(failure) || attemptsBefore >= this.delays.length ? 'dlt' : attemptsBefore + 1;
      try {
        await this.park(batch, item.message, failure, attempts, tier);
      } catch (err) {
        this.log('error', `${batch.topic}[${batch.partition}]@${item.message.offset} could not be parked (${(err as Error).message}); reading it again shortly`);
        await new Promise((r) => setTimeout(r, 1_000));
        run.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: item.message.offset });
        return false;
      }
    }
    this.finished(payload, run, item.message);
    return true;
  }

  private context(batch: Batch, message: KafkaMessage, event: Envelope, heartbeat: () => Promise<void>, tx?: UnitTx): EventContext {
    const group = this.options.groupId;
    return {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      heartbeat,
      tx,
      claim: async (unit) => (await claimEvents(unit, group, [event])).size > 0,
    };
  }

  private wrap<T>(topic: string, message: KafkaMessage, work: () => Promise<T>): Promise<T> {
    return this.options.wrapRecord ? this.options.wrapRecord({ topic, key: message.key, headers: message.headers }, work) : work();
  }

  private finished(payload: EachBatchPayload, run: ConsumerRun, message: KafkaMessage): void {
    payload.resolveOffset(message.offset);
    run.tracker.finished(payload.batch.topic, payload.batch.partition, message.offset);
  }

  /** The first topic a record came from, also when it is read back from a retry tier. */
  private sourceTopic(topic: string, message: KafkaMessage): string {
    return headerString(message.headers, DltHeaders.originalTopic) ?? topic;
  }

  private async park(batch: Batch, message: KafkaMessage, error: unknown, attempts: number, tier: number | 'dlt'): Promise<void> {
    const { topic, partition } = batch;
    const source = this.sourceTopic(topic, message);
    const target = tier === 'dlt' ? deadLetterTopic(source, this.options.groupId) : retryTopic(source, this.options.groupId, tier);
    const dueAt = tier === 'dlt' ? undefined : Date.now() + (this.delays[tier - 1] ?? 0);
    await this.options.producer.send({
      topic: target,
      acks: -1,
      messages: [parkedMessage({ topic, partition, message }, this.options.groupId, error, attempts, dueAt)],
    });
    this.options.onOutcome?.(tier === 'dlt' ? 'dead-lettered' : 'retried', source);
    const what = `${topic}[${partition}]@${message.offset}`;
    if (tier === 'dlt') this.log('error', `dead-lettered ${what} to ${target} after ${attempts} attempt(s): ${(error as Error)?.message ?? error}`);
    else this.log('warn', `${what} failed (attempt ${attempts}), retry tier ${tier}: ${(error as Error)?.message ?? error}`);
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
