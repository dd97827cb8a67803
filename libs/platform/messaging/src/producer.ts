import type { Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';

/** What the relay, the consumers (parking) and replays need of a producer. */
export interface MessageSender {
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
}

/**
 * Errors after which an idempotent producer is useless: the broker no longer
 * knows its producer id or epoch, or its sequence numbers (after a broker lost
 * its recent log to a kill -9, say). kafkajs deems them fatal and, on a
 * reconnect, keeps the stale id (it fetches one only while uninitialized),
 * so every later send fails the same way.
 */
export const FATAL_PRODUCER_ERRORS = ['UNKNOWN_PRODUCER_ID', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'INVALID_PRODUCER_EPOCH'] as const;

export function isFatalProducerError(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const { type, cause, errors } = e as { type?: string; cause?: unknown; errors?: unknown[] };
    if (type && (FATAL_PRODUCER_ERRORS as readonly string[]).includes(type)) return true;
    return visit(cause) || (Array.isArray(errors) && errors.some(visit));
  };
  return visit(err);
}

export interface ReplaceableProducerOptions {
  /** Makes a new producer, e.g. `() => kafka.producer({ idempotent: true, ... })`. */
  create: () => Producer;
  log?: (level: 'warn' | 'error', message: string) => void;
  /** Counts replacements (a metric). */
  onReplaced?: () => void;
}

/**
 * The service's one idempotent producer, replaced by a new one (a new
 * producer id, not a reconnect) after a fatal producer error; the send that
 * met it is sent once more on the new producer. Consumers deduplicate, so a
 * batch the old producer may have half-written costs nothing but copies.
 */
export class ReplaceableProducer implements MessageSender {
  private producer: Producer;
  private connected?: Promise<void>;
  private replacing?: Promise<void>;
  private replacementCount = 0;

  constructor(private readonly options: ReplaceableProducerOptions) {
    this.producer = options.create();
  }

  get replacements(): number {
    return this.replacementCount;
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err) => {
      this.connected = undefined;
      throw err;
    });
    return this.connected;
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.withReplacement((p) => p.send(record));
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.withReplacement((p) => p.sendBatch(batch));
  }

  async disconnect(): Promise<void> {
    await this.replacing?.catch(() => undefined);
    await this.producer.disconnect();
  }

  private async withReplacement<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    await this.replacing?.catch(() => undefined);
    await this.connect();
    const used = this.producer;
    try {
      return await send(used);
    } catch (err) {
      if (!isFatalProducerError(err)) throw err;
      await this.replace(used, err as Error);
      await this.connect();
      return send(this.producer);
    }
  }

  /** Replaces `stale` unless a concurrent send already did. */
  private replace(stale: Producer, cause: Error): Promise<void> {
    if (this.producer !== stale) return this.replacing ?? Promise.resolve();
    this.options.log?.('warn', `producer replaced after a fatal error (${(cause as { type?: string }).type ?? cause.name}: ${cause.message})`);
    this.producer = this.options.create();
    this.connected = undefined;
    this.replacementCount += 1;
    this.options.onReplaced?.();
    this.replacing = stale.disconnect().catch(() => undefined);
    return this.replacing;
  }
}
