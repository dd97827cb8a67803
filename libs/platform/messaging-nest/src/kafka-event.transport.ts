import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Admin, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { isEventType, topicOf } from '@shop/shared/contracts';
import type { Database } from '@shop/platform/database';
import { ConsumerHealth, DeadLetters, EventConsumer, EventHandler, MessageSender, UnitOfWork } from '@shop/platform/messaging';
import { consumeAsContinuation } from '@shop/platform/telemetry';
import type { MessagingModuleOptions } from './messaging.tokens';
import type { MessagingMetrics } from './messaging.metrics';

/**
 * A Nest microservice transport over kafkajs, so consumers are plain
 * `@EventPattern('<event type>')` handlers, called with the event and an
 * EventContext (`@Ctx()`) whose `tx` is the unit of work of the record's
 * batch. `@EventPattern(type, { isolated: true })` marks a handler that calls
 * the outside world and runs its own units. It subscribes to the topics of the
 * patterns it finds, dead-letters instead of blocking a partition, and drains
 * on close. (Nest's built-in Kafka transport does none of this.)
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer?: EventConsumer;
  /** Opened on first use and kept: a metrics scrape or an admin request should not cost a new connection. */
  private admin?: Promise<Admin>;
  private dlq?: DeadLetters;
  private readonly log = new Logger('KafkaEventTransport');

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: MessageSender,
    private readonly unitOfWork: UnitOfWork,
    private readonly db: Database,
    private readonly options: MessagingModuleOptions,
    private readonly metrics?: MessagingMetrics,
  ) {
    super();
  }

  get groupId(): string {
    return `${this.options.topicPrefix ?? ''}${this.options.service}`;
  }

  /** The topics this service's handlers consume (prefixed). */
  get topics(): string[] {
    const prefix = this.options.topicPrefix ?? '';
    return [...new Set([...this.messageHandlers.keys()].filter(isEventType).map((type) => prefix + topicOf(type)))];
  }

  /**
   * Each consumer group this service runs (main and retry) and whether it has
   * joined and runs; empty before the consumers started or when the service
   * consumes nothing.
   */
  consumerHealth(): ConsumerHealth[] {
    return this.consumer?.health() ?? [];
  }

  /** True when the app has handlers, so readiness must wait for its consumers. */
  get consumes(): boolean {
    return this.topics.length > 0;
  }

  /** Per topic, how far the group's committed offsets are behind the broker (main and retry groups). */
  async lag(): Promise<Array<{ topic: string; group: string; lag: number }>> {
    if (!this.consumer) return [];
    const admin = await this.connectedAdmin();
    const result: Array<{ topic: string; group: string; lag: number }> = [];
    const groups: Array<[string, string[]]> = [
      [this.groupId, this.topics],
      [`${this.groupId}.retry`, this.consumer.retryTopics],
    ];
    for (const [group, topics] of groups) {
      if (topics.length === 0) continue;
      const committed = await admin.fetchOffsets({ groupId: group, topics });
      for (const { topic, partitions } of committed) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
        let lag = 0n;
        for (const p of partitions) {
          const end = ends.get(p.partition) ?? 0n;
          const at = BigInt(p.offset) < 0n ? 0n : BigInt(p.offset);
          if (end > at) lag += end - at;
        }
        result.push({ topic, group, lag: Number(lag) });
      }
    }
    return result;
  }

  /** This group's dead-letter topics as a queue to list and replay. */
  deadLetters(): DeadLetters {
    return (this.dlq ??= new DeadLetters({ kafka: this.kafka, producer: this.producer, groupId: this.groupId, topics: this.topics, db: this.db }));
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }

  async listen(callback: (...args: unknown[]) => void): Promise<void> {
    const handlers = new Map<string, EventHandler>();
    for (const [pattern, handler] of this.messageHandlers) {
      if (!isEventType(pattern)) throw new Error(`@EventPattern('${pattern}') is not an event type of the contracts`);
      handlers.set(pattern, {
        isolated: handler.extras?.isolated === true,
        locks: Array.isArray(handler.extras?.locks) ? (handler.extras.locks as string[]) : undefined,
        handle: async (event, context) => {
          const result = await lastValueFrom(this.transformToObservable(await handler(event, context)), { defaultValue: undefined });
          // Logged inside the record's span: with tracing on, the line carries the event's trace_id.
          this.log.debug(`${event.type} ${event.id} handled`);
          return result;
        },
      });
    }
    if (handlers.size === 0) return callback();
    const topics = this.topics;
    this.consumer = new EventConsumer({
      kafka: this.kafka,
      producer: this.producer,
      unitOfWork: this.unitOfWork,
      wrapRecord: consumeAsContinuation,
      groupId: this.groupId,
      topics,
      handlers,
      ...this.options.consumer,
      log: (level, message) => this.log[level === 'info' ? 'log' : level](message),
      onOutcome: (outcome, topic) => this.metrics?.records.inc({ topic, group: this.groupId, outcome }),
    });
    try {
      await this.consumer.start();
    } catch (err) {
      return callback(err);
    }
    this.log.log(`consuming ${topics.join(', ')} as group ${this.groupId}`);
    if (this.metrics) {
      this.metrics.lagSource = () => this.lag();
      this.metrics.consumerSource = () => this.consumerHealth();
    }
    callback();
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
    this.dlq = undefined;
  }

  on(): void {
    throw new Error('KafkaEventTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }
}

interface AppWithMicroservices {
  get<T>(token: new (...args: never[]) => T): T;
  connectMicroservice(options: { strategy: CustomTransportStrategy }, hybrid?: { inheritAppConfig: boolean }): unknown;
  startAllMicroservices(): Promise<unknown>;
}

/** Starts the app's `@EventPattern` handlers on the Kafka transport. */
export async function startEventConsumers(app: AppWithMicroservices): Promise<void> {
  app.connectMicroservice({ strategy: app.get(KafkaEventTransport) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}

/** Stops consuming and lets in-flight handlers commit; call before the app closes its database. */
export async function stopEventConsumers(app: AppWithMicroservices): Promise<void> {
  await app.get(KafkaEventTransport).close();
}
