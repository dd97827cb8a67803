import type { Kafka } from 'kafkajs';

/** Requests this process's Kafka clients sent (fetches, produces, heartbeats, commits, metadata...), for the bench's cost per order. */
export const processKafkaRequests = { count: 0 };

/**
 * Counts every request of every producer, consumer and admin client made
 * from `kafka` from now on (kafkajs's REQUEST instrumentation event).
 */
export function countKafkaRequests(kafka: Kafka, counts: { count: number } = processKafkaRequests): Kafka {
  type Instrumented = { on(event: string, listener: () => void): unknown; events: { REQUEST: string } };
  const counted = <T extends Instrumented>(client: T): T => {
    client.on(client.events.REQUEST, () => counts.count++);
    return client;
  };
  const producer = kafka.producer.bind(kafka);
  const consumer = kafka.consumer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  kafka.producer = (config) => counted(producer(config));
  kafka.consumer = (config) => counted(consumer(config));
  kafka.admin = (config) => counted(admin(config));
  return kafka;
}
