import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { EventType, parseEnvelope } from '@shop/shared/contracts';

export interface ReadRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads topics from their beginning up to the end they had when the read
 * started, through a throw-away consumer group, then deletes that group.
 * Used to list and replay dead letters and to rebuild read models while the
 * service keeps running.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  topics: string[],
  onBatch: (records: ReadRecord[]) => Promise<void>,
  options: { timeoutMs?: number } = {},
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `reader-${randomUUID()}`;
  try {
    const existing = new Set(await admin.listTopics());
    const ends = new Map<string, bigint>();
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (ends.size === 0) return 0;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
    await consumer.connect();
    let read = 0;
    try {
      await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))], fromBeginning: true });
      const remaining = new Set(ends.keys());
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topics.join(', ')} took longer than ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const key = `${batch.topic}/${batch.partition}`;
              const end = ends.get(key);
              if (end === undefined) return;
              const records = batch.messages
                .filter((m) => BigInt(m.offset) < end)
                .map((message) => ({ topic: batch.topic, partition: batch.partition, message }));
              if (records.length) await onBatch(records);
              read += records.length;
              const last = batch.messages[batch.messages.length - 1];
              if (last && BigInt(last.offset) + 1n >= end) remaining.delete(key);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return read;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The payloads of one event type on a topic, batch by batch, up to the end
 * the topic had when the read started: what a read model's rebuild applies.
 * A malformed record is skipped; dead-lettering it is the live consumer's job.
 */
export async function readEventsToEnd<T>(kafka: Kafka, topic: string, type: EventType, onEvents: (events: T[]) => Promise<void>): Promise<number> {
  return readTopicsToEnd(kafka, [topic], async (records) => {
    const events: T[] = [];
    for (const record of records) {
      try {
        const event = parseEnvelope(JSON.parse(String(record.message.value)));
        if (event.type === type) events.push(event.data as T);
      } catch {
        // skipped, see above
      }
    }
    await onEvents(events);
  });
}
