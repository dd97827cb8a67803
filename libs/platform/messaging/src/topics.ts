import type { Kafka } from 'kafkajs';

/**
 * Creates missing topics. Dead-letter and retry topics take the partition
 * count of their source topic so a record keeps its partition by key.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], defaultPartitions = 3): Promise<void> {
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
