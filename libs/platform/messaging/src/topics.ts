import type { Kafka } from 'kafkajs';

/**
 * Creates missing topics. Dead-letter and retry topics take the partition
 * count of their source topic so a record keeps its partition by key.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], defaultPartitions = 3): Promise<void> {
  // A broker that has just started, or topics another service has just created, may have no leader yet.
  return withKafkaRetries(() => createMissingTopics(kafka, topics, defaultPartitions));
}

async function createMissingTopics(kafka: Kafka, topics: string[], defaultPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    const sources = missing.map((t) => t.replace(/\.[a-z]+\.(dlt|retry-\d+)$/, '')).filter((s) => existing.has(s));
    const partitionsOf = new Map<string, number>();
    if (sources.length) {
      const meta = await admin.fetchTopicMetadata({ topics: [...new Set(sources)] });
      for (const t of meta.topics) partitionsOf.set(t.name, t.partitions.length);
    }
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitionsOf.get(topic.replace(/\.[a-z]+\.(dlt|retry-\d+)$/, '')) ?? defaultPartitions,
        })),
      });
    } catch (err) {
      // Another service created some of them at the same moment: that is fine.
      const errors = (err as { errors?: Array<{ type?: string }> }).errors ?? [];
      if (!errors.length || errors.some((e) => e.type !== 'TOPIC_ALREADY_EXISTS')) throw err;
    }
  } finally {
    await admin.disconnect();
  }
}

/** Retries an operation while kafkajs reports retriable errors (no leader yet, coordinator loading), up to about 30 s. */
export async function withKafkaRetries<T>(operation: () => Promise<T>, attempts = 15): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true || /does not host this topic-partition|leader/i.test((err as Error).message);
      if (!retriable || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2_000)));
    }
  }
}
