import { Kafka, logLevel } from 'kafkajs';
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
        await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: partitions })) });
        made.push(...names);
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
