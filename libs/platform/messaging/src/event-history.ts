import type { Kafka } from 'kafkajs';
import { EventData, EventType, topicOf } from '@shop/shared/contracts';
import { readEventsToEnd } from './topic-reader';

/**
 * Every event of one type its topic holds, from the topic's beginning to the
 * end it had when the read started: what a read model is rebuilt from while
 * the live consumer keeps running. The port a rebuild use case depends on
 * (the Nest token too: a service rebuilds from one history).
 */
export abstract class EventHistory<T extends EventType = EventType> {
  /** Hands the events' data to `apply` batch by batch, the next once the last has resolved; answers how many records were read. */
  abstract read(apply: (events: Array<EventData<T>>) => Promise<void>): Promise<number>;
}

/** The event's topic on the broker, through a throw-away consumer group; a malformed record is skipped (the live consumer dead-letters it). */
export class KafkaEventHistory<T extends EventType> extends EventHistory<T> {
  constructor(
    private readonly kafka: Kafka,
    private readonly type: T,
    private readonly topicPrefix = '',
  ) {
    super();
  }

  read(apply: (events: Array<EventData<T>>) => Promise<void>): Promise<number> {
    return readEventsToEnd<EventData<T>>(this.kafka, `${this.topicPrefix}${topicOf(this.type)}`, this.type, apply);
  }
}

/**
 * A topic's records in memory, for a rebuild's unit spec: handed over
 * `batchSize` at a time, each batch once the last was applied, up to the end
 * the records had when the read started. `during(batch)` runs before a batch
 * is handed over, to put a live event or a lost broker exactly there.
 */
export class InMemoryEventHistory<T extends EventType> extends EventHistory<T> {
  readonly records: Array<EventData<T>> = [];
  batchSize = 2;
  during?: (batch: number) => void | Promise<void>;

  async read(apply: (events: Array<EventData<T>>) => Promise<void>): Promise<number> {
    const records = structuredClone(this.records);
    let read = 0;
    for (let batch = 0; batch * this.batchSize < records.length; batch++) {
      await this.during?.(batch);
      const events = records.slice(batch * this.batchSize, (batch + 1) * this.batchSize);
      await apply(events);
      read += events.length;
    }
    return read;
  }
}
