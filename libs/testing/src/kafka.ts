import { Kafka, logLevel, type Admin } from 'kafkajs';
import { eventually } from './events';
import { uniqueSuffix } from './workspace';

/** Kafka for one test suite: the shared broker, and topic names no other suite uses. */
export interface TestKafka {
  brokers: string[];
  prefix: string;
  /** `<prefix>.<name>`: a topic of this suite only. */
  topic(name: string): string;
  kafka(clientId?: string): Kafka;
  createTopics(names: string[], partitions?: number): Promise<void>;
  /** Deletes every topic of this suite. */
  cleanup(): Promise<void>;
}

/** `brokerList` overrides KAFKA_BROKERS, e.g. a private broker a chaos run may kill. */
export function useKafka(brokerList?: string[]): TestKafka {
  const list = brokerList?.join(',') || process.env.KAFKA_BROKERS;
  if (!list) throw new Error('testing: KAFKA_BROKERS is not set; run the suite through jest (its globalSetup provisions Kafka)');
  const brokers = list.split(',').map((s) => s.trim());
  const prefix = `t${uniqueSuffix()}`;
  const made: string[] = [];
  const kafka = (clientId = prefix) => new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
  return {
    brokers,
    prefix,
    topic: (name) => `${prefix}.${name}`,
    kafka,
    async createTopics(names, partitions = 3) {
      const admin = kafka().admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: partitions })) });
        made.push(...names);
        // A broker that has just started (a test container) answers "does not host this topic-partition"
        // for a moment after creating it: wait until every partition has a leader.
        await eventually(async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: names });
          if (topics.some((t) => t.partitions.length !== partitions || t.partitions.some((p) => p.leader < 0))) throw new Error('no leaders yet');
        }, 30_000, 100);
      } finally {
        await admin.disconnect();
      }
    },
    async cleanup() {
      const admin = kafka().admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
        if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/**
 * Waits until consumer group `groupId` has finished every record on `topics` that the broker held when it was
 * called: its committed offsets reached the ends read then (the platform's consumers commit a record only once it
 * is handled or parked in a retry tier). That proves "nothing more happened" after a duplicate without a fixed
 * sleep: a duplicate that arrives late is handled before this returns, so its effect, if any, is there to see.
 */
export async function consumedAll(kafka: Kafka, groupId: string, topics: string[], timeoutMs = 15_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await topicEnds(admin, topics);
    await eventually(async () => {
      const behind = await groupBehind(admin, groupId, topics, ends);
      if (behind.length) throw new Error(`${groupId} has not finished ${behind.join(', ')}`);
    }, timeoutMs, 100);
  } finally {
    await admin.disconnect();
  }
}

/** The end of every partition of `topics` (the offset the next record will take), by `<topic>[<partition>]`. */
export async function topicEnds(admin: Admin, topics: string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}[${p.partition}]`, BigInt(p.high));
  return ends;
}

/** The partitions of `topics` where `groupId`'s committed offset is short of `ends`, as `<topic>[<partition>] at <offset> of <end>`. */
export async function groupBehind(admin: Admin, groupId: string, topics: string[], ends: Map<string, bigint>): Promise<string[]> {
  if (topics.length === 0) return [];
  const behind: string[] = [];
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
    for (const p of partitions) {
      const end = ends.get(`${topic}[${p.partition}]`) ?? 0n;
      // -1: nothing committed yet, which is finished only where there is nothing to read.
      const at = BigInt(p.offset) < 0n ? 0n : BigInt(p.offset);
      if (at < end) behind.push(`${topic}[${p.partition}] at ${at} of ${end}`);
    }
  }
  return behind;
}
