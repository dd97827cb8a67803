import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { ContractViolation, Envelope, parseEnvelope } from '@shop/shared/contracts';
import { deadLetterMessage, deadLetterTopic } from './dead-letter';
import { isRetryable } from './errors';
import { ensureTopics } from '../topics';

export interface EventContext {
  topic: string;
  partition: number;
  offset: string;
  /** Long handlers call this so the group does not think the consumer died. */
  heartbeat(): Promise<void>;
}

export type EventHandler = (event: Envelope, context: EventContext) => Promise<unknown>;

export interface EventConsumerOptions {
  kafka: Kafka;
  /** Shared idempotent producer, used to park records in the dead-letter topic. */
  producer: Producer;
  groupId: string;
  topics: string[];
  /** Event type → handler; records of other types on the same topics are skipped. */
  handlers: Map<string, EventHandler>;
  /** In-process attempts before dead-lettering a retryable failure. */
  maxAttempts?: number;
  backoffMs?: number;
  partitionsConsumedConcurrently?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: object) => void;
  onOutcome?: (outcome: 'processed' | 'skipped' | 'retried' | 'dead-lettered', topic: string) => void;
}

/**
 * Consumes events with kafkajs `eachMessage`. A record's offset is committed
 * only after its handler resolved (the effect is stored) or after it was
 * parked in the dead-letter topic, so nothing is lost and no poison record
 * blocks its partition.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly log: NonNullable<EventConsumerOptions['log']>;

  constructor(private readonly options: EventConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoffMs = options.backoffMs ?? 200;
    this.log = options.log ?? (() => undefined);
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    await ensureTopics(kafka, [...topics, ...topics.map((t) => deadLetterTopic(t, groupId))]);
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // A fetch returns as soon as a record arrives; the wait bounds only idle fetches, and so shutdown.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 500,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachMessage: (payload) => this.handle(payload),
    });
  }

  /** Stops fetching, lets in-flight handlers finish, commits, disconnects. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async handle({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    let event: Envelope;
    try {
      event = parseEnvelope(JSON.parse(message.value?.toString() ?? ''));
    } catch (err) {
      const violation = err instanceof ContractViolation ? err : new ContractViolation(`not JSON: ${(err as Error).message}`);
      return this.deadLetter(topic, partition, message, violation, 1);
    }
    const handler = this.options.handlers.get(event.type);
    if (!handler) {
      this.options.onOutcome?.('skipped', topic);
      return;
    }
    const context: EventContext = { topic, partition, offset: message.offset, heartbeat };
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event, context);
        this.options.onOutcome?.('processed', topic);
        return;
      } catch (err) {
        if (!isRetryable(err) || attempt >= this.maxAttempts) {
          return this.deadLetter(topic, partition, message, err, attempt);
        }
        this.options.onOutcome?.('retried', topic);
        this.log('warn', `${event.type} ${event.id} failed (attempt ${attempt}), retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const target = deadLetterTopic(topic, this.options.groupId);
    // If this send fails, eachMessage throws and kafkajs redelivers the record: it is never lost.
    await this.options.producer.send({
      topic: target,
      acks: -1,
      messages: [deadLetterMessage({ topic, partition, message }, this.options.groupId, error, attempts)],
    });
    this.options.onOutcome?.('dead-lettered', topic);
    this.log('error', `dead-lettered ${topic}[${partition}]@${message.offset} to ${target}: ${(error as Error)?.message ?? error}`);
  }
}
