import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createTestDatabase, eventually, TestDatabase, TestKafka, useKafka } from '@shop/testing';
import { createPool, Database } from '@shop/platform/database';
import { DltHeaders } from '../consumer/dead-letter';
import { DeadLetters } from './dead-letters';

/** The operator's view of a group's dead-letter topics, against the real broker. */
describe('dead letters: the list', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let client: Kafka;
  let producer: Producer;
  let deadLetters: DeadLetters;
  let database: Database;
  let source: string;
  let dlt: string;
  const group = 'svc';

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('catalog');
    kafka = useKafka();
    client = kafka.kafka();
    source = kafka.topic('order.orders.v1');
    dlt = `${source}.${kafka.prefix}.${group}.dlt`;
    await kafka.createTopics([source, dlt], 3);
    producer = client.producer();
    await producer.connect();
    deadLetters = new DeadLetters({
      kafka: client,
      producer,
      groupId: `${kafka.prefix}.${group}`,
      topics: [source],
      db: (database = new Database(createPool({ url: db.urlFor('catalog'), schema: 'catalog' }))),
    });
  });

  afterAll(async () => {
    await database?.pool.end();
    await producer?.disconnect();
    await kafka?.cleanup();
    await db?.drop();
  });

  it('reads every partition to its end and lists the oldest first, whatever partition they sit in', async () => {
    const base = Date.now() - 60_000;
    // Partition 2 holds the oldest, partition 0 the newest: a list that stopped at its limit in partition order would miss them.
    const parked = [2, 1, 0].flatMap((partition, p) =>
      Array.from({ length: 40 }, (_, i) => ({ partition, eventId: randomUUID(), at: base + p * 10_000 + i * 10 })),
    );
    for (const r of parked) {
      await producer.send({
        topic: dlt,
        messages: [
          {
            partition: r.partition,
            key: r.eventId,
            value: '{}',
            timestamp: String(r.at),
            headers: { 'event-id': r.eventId, [DltHeaders.originalTopic]: source, [DltHeaders.exceptionMessage]: 'boom' },
          },
        ],
      });
    }
    const all = await deadLetters.list(1_000);
    expect(all).toHaveLength(parked.length);
    expect(all.map((d) => d.eventId)).toEqual(parked.map((r) => r.eventId));

    const oldest = await deadLetters.list(50);
    expect(oldest.map((d) => d.eventId)).toEqual(parked.slice(0, 50).map((r) => r.eventId));
  });

  it('lists and replays a dead letter written after the topic was recreated, at an offset replayed before', async () => {
    const replayedTopic = `${kafka.prefix}.renewed.v1`;
    const renewedDlt = `${replayedTopic}.${kafka.prefix}.${group}.dlt`;
    const renewed = new DeadLetters({ kafka: client, producer, groupId: `${kafka.prefix}.${group}`, topics: [replayedTopic], db: database });
    const retry = `${replayedTopic}.${kafka.prefix}.${group}.retry-1`;
    const park = async (eventId: string) =>
      producer.send({
        topic: renewedDlt,
        messages: [{ partition: 0, key: eventId, value: '{}', headers: { 'event-id': eventId, [DltHeaders.originalTopic]: replayedTopic, [DltHeaders.exceptionMessage]: 'boom' } }],
      });
    await kafka.createTopics([replayedTopic, renewedDlt, retry], 1);
    const first = randomUUID();
    await park(first);
    expect((await renewed.list()).map((d) => [d.id, d.eventId])).toEqual([[`${renewedDlt}/0/0`, first]]);
    expect(await renewed.replay()).toBe(1);
    expect(await renewed.list()).toEqual([]);

    // What a new broker, a restored cluster or a recreated topic looks like: the same names, offsets from 0 again.
    const admin = client.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [renewedDlt] });
      await eventually(async () => expect(await admin.listTopics()).not.toContain(renewedDlt));
    } finally {
      await admin.disconnect();
    }
    await eventually(() => kafka.createTopics([renewedDlt], 1));
    const second = randomUUID();
    await park(second);
    expect((await renewed.list()).map((d) => [d.id, d.eventId])).toEqual([[`${renewedDlt}/0/0`, second]]);
    expect(await renewed.replay({ ids: [`${renewedDlt}/0/0`] })).toBe(1);
    expect(await renewed.list()).toEqual([]);
  });
});
