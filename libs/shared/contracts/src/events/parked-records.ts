/**
 * Where a record a consumer group could not process goes (docs/contract.md, "Events"): through the group's
 * retry tiers, with growing delays, then to its dead-letter topic, whatever the topic. Part of the contract, so
 * that operators' tools and the AsyncAPI document name them as the consumers do.
 */
export function retryTopic(topic: string, group: string, tier: number): string {
  return `${topic}.${group}.retry-${tier}`;
}

export function deadLetterTopic(topic: string, group: string): string {
  return `${topic}.${group}.dlt`;
}

/** Spring Kafka's header names, so existing tooling reads our retry tiers and dead letters. */
export const DltHeaders = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  attempts: 'retry_topic-attempts',
  /** When a record in a retry tier is due (epoch milliseconds), as Spring Kafka's retry topics name it. */
  dueAt: 'retry_topic-backoff-timestamp',
} as const;
