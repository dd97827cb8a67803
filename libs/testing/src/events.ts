import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { Envelope, EventCatalog, EventType } from '@shop/shared/contracts';

/**
 * An event as its owning service publishes it: the envelope, and the Kafka
 * record keyed by the aggregate with the event id and type in headers.
 */
export function eventRecord(
  type: EventType,
  aggregateId: string,
  data: unknown,
  options: { id?: string; aggregateVersion?: number } = {},
): { envelope: Envelope; message: { key: string; value: string; headers: Record<string, string> } } {
  const envelope: Envelope = {
    id: options.id ?? randomUUID(),
    type,
    version: EventCatalog[type].version,
    source: EventCatalog[type].source,
    aggregateId,
    aggregateVersion: options.aggregateVersion ?? 1,
    occurredAt: new Date().toISOString(),
    data,
  };
  return { envelope, message: { key: aggregateId, value: JSON.stringify(envelope), headers: { 'event-id': envelope.id, 'event-type': type } } };
}

export interface RecordedEvent {
  topic: string;
  key: string;
  headers: Record<string, string>;
  event: Envelope;
}

/**
 * Records every event on some topics from the beginning, for assertions such
 * as "an order.placed for this order was published once".
 */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  private consumer?: Consumer;
  /** The next offset to record, per topic and partition. */
  private readonly positions = new Map<string, bigint>();

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `recorder-${Math.random().toString(36).slice(2)}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        this.events.push({ topic, key: String(message.key), headers, event: JSON.parse(String(message.value)) });
        this.positions.set(`${topic}/${partition}`, BigInt(message.offset) + 1n);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Waits until it has recorded everything its topics held when called. */
  async caughtUp(timeoutMs = 15_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends: Array<[string, bigint]> = [];
      for (const topic of this.topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.push([`${topic}/${p.partition}`, BigInt(p.high)]);
      await eventually(() => {
        const behind = ends.filter(([key, end]) => (this.positions.get(key) ?? 0n) < end);
        if (behind.length) throw new Error(`the recorder has not reached the end of ${behind.map(([key]) => key).join(', ')}`);
      }, timeoutMs);
    } finally {
      await admin.disconnect();
    }
  }

  of(type: string, aggregateId?: string): RecordedEvent[] {
    return this.events.filter((e) => e.event.type === type && (!aggregateId || e.event.aggregateId === aggregateId));
  }

  async waitFor(type: string, aggregateId?: string, timeoutMs = 15_000): Promise<RecordedEvent> {
    return eventually(() => {
      const found = this.of(type, aggregateId)[0];
      if (!found) throw new Error(`no ${type}${aggregateId ? ` for ${aggregateId}` : ''} within ${timeoutMs} ms`);
      return found;
    }, timeoutMs);
  }
}

/** Retries an assertion until it passes or the time is up (then throws its last error). */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
