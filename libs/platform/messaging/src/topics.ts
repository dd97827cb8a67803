import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { CompactedTopics } from '@shop/shared/contracts';

/** A topic to create when missing; a retry or dead-letter topic takes the partition count of its source. */
export type TopicSpec = string | { topic: string; sameAs: string };

const PARKED = /\.(dlt|retry-\d+)$/;

/**
 * The configs this platform relies on, by topic name (a test prefix before
 * the name changes nothing):
 * - retry and dead-letter topics never expire what they hold: a parked
 *   message waits for its replay however long that takes;
 * - the topics read models are rebuilt from keep each key's latest event.
 */
export function topicConfig(topic: string): Record<string, string> {
  if (PARKED.test(topic)) return { 'retention.ms': '-1', 'retention.bytes': '-1' };
  if (CompactedTopics.some((t) => topic === t || topic.endsWith(`.${t}`))) return { 'cleanup.policy': 'compact' };
  return {};
}

/**
 * Creates missing topics with the platform's configs, and brings existing ones
 * in line (a topic created before a config was decided, or by hand).
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], defaultPartitions = 3): Promise<void> {
  // A broker that has just started, or topics another service has just created, may have no leader yet.
  return withKafkaRetries(async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await createMissingTopics(admin, topics, defaultPartitions);
      await alignConfigs(admin, [...new Set(topics.map(nameOf))]);
    } finally {
      await admin.disconnect();
    }
  });
}

function nameOf(spec: TopicSpec): string {
  return typeof spec === 'string' ? spec : spec.topic;
}

async function createMissingTopics(admin: Admin, topics: TopicSpec[], defaultPartitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t, i) => !existing.has(nameOf(t)) && topics.findIndex((u) => nameOf(u) === nameOf(t)) === i);
  if (missing.length === 0) return;
  const sources = [...new Set(missing.flatMap((t) => (typeof t === 'string' || !existing.has(t.sameAs) ? [] : [t.sameAs])))];
  const partitionsOf = new Map<string, number>();
  if (sources.length) {
    for (const t of (await admin.fetchTopicMetadata({ topics: sources })).topics) partitionsOf.set(t.name, t.partitions.length);
  }
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: nameOf(spec),
        numPartitions: (typeof spec === 'string' ? undefined : partitionsOf.get(spec.sameAs)) ?? defaultPartitions,
        configEntries: Object.entries(topicConfig(nameOf(spec))).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (err) {
    // Another service created some of them at the same moment: that is fine.
    const errors = (err as { errors?: Array<{ type?: string }> }).errors ?? [];
    if (!errors.length || errors.some((e) => e.type !== 'TOPIC_ALREADY_EXISTS')) throw err;
  }
}

async function alignConfigs(admin: Admin, topics: string[]): Promise<void> {
  const wanted = topics.map((name) => ({ name, config: topicConfig(name) })).filter((t) => Object.keys(t.config).length > 0);
  if (wanted.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: Object.keys(t.config) })),
  });
  const actual = new Map(described.resources.map((r) => [r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue]))]));
  const drifted = wanted.filter((t) => Object.entries(t.config).some(([k, v]) => actual.get(t.name)?.get(k) !== v));
  if (drifted.length === 0) return;
  // AlterConfigs sets a topic's whole dynamic config: these topics carry only the platform's.
  await admin.alterConfigs({
    validateOnly: false,
    resources: drifted.map((t) => ({
      type: ConfigResourceTypes.TOPIC,
      name: t.name,
      configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
    })),
  });
}

/**
 * Waits until the broker coordinates these consumer groups. On a broker
 * formatted moments ago the offsets topic is still being created and loaded
 * ("the group coordinator is not available", "the coordinator is loading"),
 * and a consumer that joins then crashes and restarts; asking for the groups
 * first lets kafkajs find and wait for their coordinator instead.
 */
export async function waitForGroupCoordinators(kafka: Kafka, groupIds: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await withKafkaRetries(() => admin.describeGroups(groupIds));
  } finally {
    await admin.disconnect();
  }
}

/** Retries an operation while kafkajs reports retriable errors (no leader yet, coordinator loading or not found yet), up to about 30 s. */
export async function withKafkaRetries<T>(operation: () => Promise<T>, attempts = 15): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      // kafkajs gives up finding a group's coordinator as not retriable; on a broker's first seconds it is.
      const retriable =
        (err as { retriable?: boolean }).retriable === true ||
        (err as Error).name === 'KafkaJSGroupCoordinatorNotFound' ||
        /does not host this topic-partition|leader/i.test((err as Error).message);
      if (!retriable || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2_000)));
    }
  }
}
