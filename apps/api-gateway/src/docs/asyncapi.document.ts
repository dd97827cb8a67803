import { z } from 'zod';
import { DEFAULT_RETRY_DELAYS_MS } from '@shop/platform/config';
import {
  allEventVersions,
  CompactedTopics,
  deadLetterTopic,
  DltHeaders,
  envelopeSchema,
  EventCatalog,
  EventHeaders,
  EventSubscriptions,
  EventType,
  retryTopic,
  ServiceName,
  TopicName,
  Topics,
} from '@shop/shared/contracts';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema (draft 2020-12), without its dialect line: AsyncAPI's schemas are JSON Schema. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** One version of one event type, with the topic it is published on and its data's schema. */
type Version = ReturnType<typeof allEventVersions>[number];

const messageId = (e: Version) => `${e.type}.v${e.version}`;
const parkedMessageId = (e: Version) => `${messageId(e)}.parked`;
/** The version of each type consumers read today (what EventSubscriptions names): the one in the catalog. */
const current = (type: EventType): Version => allEventVersions().find((e) => e.type === type && e.version === EventCatalog[type].version) as Version;
const channelId = (address: string) => address.replace(/[^A-Za-z0-9_-]/g, '_');

/** The envelope of one version of an event: its `type`, `version` and `source` fixed, its `data` the contract's schema. */
function payloadOf(e: Version): JsonSchema {
  const envelope = jsonSchema(envelopeSchema) as { properties: Record<string, JsonSchema> } & JsonSchema;
  return {
    ...envelope,
    properties: {
      ...envelope.properties,
      type: { type: 'string', const: e.type },
      version: { type: 'integer', const: e.version },
      source: { type: 'string', const: EventCatalog[e.type].source },
      data: jsonSchema(e.data),
    },
  };
}

function headersOf(type: EventType, parked: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    [EventHeaders.eventId]: { type: 'string', format: 'uuid', description: "the envelope's id" },
    [EventHeaders.eventType]: { type: 'string', const: type },
    [EventHeaders.traceparent]: { type: 'string', description: 'W3C trace context of the change that produced the event' },
    [EventHeaders.tracestate]: { type: 'string' },
  };
  if (parked) {
    const described: Record<keyof typeof DltHeaders, string> = {
      originalTopic: 'the topic the record was first consumed from',
      originalPartition: 'its partition there',
      originalOffset: 'its offset there',
      originalTimestamp: 'its timestamp there (epoch milliseconds)',
      originalConsumerGroup: 'the consumer group that could not process it',
      exceptionFqcn: 'the kind of error',
      exceptionMessage: "the error's message",
      exceptionStacktrace: "the error's stack",
      attempts: 'how many times it was tried',
      dueAt: 'in a retry tier: when it is due again (epoch milliseconds)',
    };
    for (const [key, name] of Object.entries(DltHeaders) as Array<[keyof typeof DltHeaders, string]>) {
      properties[name] = { type: 'string', description: described[key] };
    }
  }
  const required: string[] = [EventHeaders.eventId, EventHeaders.eventType];
  if (parked) required.push(DltHeaders.originalTopic, DltHeaders.originalConsumerGroup, DltHeaders.attempts);
  return { type: 'object', required, properties };
}

const UUIDS = ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7', '16fd2706-8baf-433b-82eb-8c7fada847da'];

/**
 * A value of a JSON Schema, to show in an example: every property, one item
 * per array, the first of an enum, the least a bound allows. Patterns it does
 * not know are refused, so that a new one gets a rule rather than a bad example.
 */
export function exampleOf(schema: JsonSchema, uuids: string[] = [...UUIDS]): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return exampleOf(schema.anyOf[0] as JsonSchema, uuids);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, exampleOf(s, uuids)]));
    }
    case 'array':
      return [exampleOf((schema.items ?? {}) as JsonSchema, uuids)];
    case 'integer':
    case 'number':
      return Math.max(typeof schema.minimum === 'number' ? schema.minimum : 0, 1);
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'uuid') return uuids.shift() ?? UUIDS[0];
      if (schema.format === 'date-time') return '2026-12-01T10:00:00.000Z';
      if (schema.pattern === '^[A-Z]{3}$') return 'EUR';
      if (schema.pattern === '^\\/api\\/products\\/[0-9a-f-]{36}\\/picture$') return `/api/products/${UUIDS[0]}/picture`;
      if (schema.pattern === '^[0-9a-f]{64}$') return 'ab'.repeat(32);
      if (schema.pattern !== undefined) throw new Error(`no example for the pattern ${String(schema.pattern)}`);
      return 'text';
    }
    default:
      return {};
  }
}

function message(e: Version, parked: boolean): JsonSchema {
  const { type } = e;
  const def = EventCatalog[type];
  const payload = payloadOf(e);
  const example: Record<string, unknown> = { ...(exampleOf(payload) as Record<string, unknown>), aggregateVersion: 1 };
  const data = example.data as Record<string, unknown>;
  example.aggregateId = String(data.orderId ?? data.productId ?? example.id);
  const headers: Record<string, string> = { [EventHeaders.eventId]: String(example.id), [EventHeaders.eventType]: type };
  headers[EventHeaders.traceparent] = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  if (parked) {
    Object.assign(headers, {
      [DltHeaders.originalTopic]: e.topic,
      [DltHeaders.originalPartition]: '0',
      [DltHeaders.originalOffset]: '42',
      [DltHeaders.originalTimestamp]: '1764583200000',
      [DltHeaders.originalConsumerGroup]: 'consumer-group',
      [DltHeaders.exceptionFqcn]: 'Error',
      [DltHeaders.exceptionMessage]: 'what went wrong',
      [DltHeaders.attempts]: '1',
    });
  }
  return {
    name: type,
    title: `${type} v${e.version}${parked ? ', parked' : ''}`,
    summary: parked
      ? `${type} as a consumer group parked it: the original key, value and headers, plus where it came from and why it failed. A record that could not be parsed at all goes to the dead-letter topic as it was.`
      : `${type} v${e.version}, published by ${def.source} through its outbox${e.version === def.version ? '' : ` beside v${def.version}, on a topic of its own (a newer version of a compacted topic's event cannot share the older one's keys)`}`,
    contentType: 'application/json',
    correlationId: { location: `$message.header#/${EventHeaders.eventId}` },
    headers: headersOf(type, parked),
    payload,
    bindings: { kafka: { key: { type: 'string', description: "the aggregate's id (aggregateId): one aggregate's events share a partition, in order" }, bindingVersion: '0.5.0' } },
    examples: [{ name: `${type}-v${e.version}${parked ? '-parked' : ''}`, headers, payload: example }],
  };
}

const TOPICS = Object.values(Topics) as TopicName[];
const versionsOn = (topic: TopicName) => allEventVersions().filter((e) => e.topic === topic);

/**
 * AsyncAPI 3.0 for every topic: each service's topics with the events on them
 * (the envelope, its headers, the versions, an example), and for every
 * consumer group the retry tiers and dead-letter topic of each topic it reads.
 * Built from the same zod schemas producers and consumers validate with.
 */
export function buildAsyncApiDocument(retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): JsonSchema {
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const messages: Record<string, JsonSchema> = {};
  const ref = (id: string, e: Version, parked: boolean) => ({ $ref: `#/channels/${id}/messages/${parked ? parkedMessageId(e) : messageId(e)}` });
  const channelMessages = (versions: Version[], parked: boolean) =>
    Object.fromEntries(versions.map((e) => [parked ? parkedMessageId(e) : messageId(e), { $ref: `#/components/messages/${parked ? parkedMessageId(e) : messageId(e)}` }]));

  for (const e of allEventVersions()) {
    messages[messageId(e)] = message(e, false);
    messages[parkedMessageId(e)] = message(e, true);
  }

  for (const topic of TOPICS) {
    const types = versionsOn(topic);
    if (!types.length) throw new Error(`asyncapi: no event is published on ${topic}`);
    const owner = EventCatalog[types[0].type].source;
    const id = channelId(topic);
    channels[id] = {
      address: topic,
      title: topic,
      description: `${owner}'s events${CompactedTopics.includes(topic) ? '; compacted: the latest event of each key is kept for as long as the topic exists, so a read model can be rebuilt from it' : ''}`,
      messages: channelMessages(types, false),
      ...(CompactedTopics.includes(topic) ? { bindings: { kafka: { topicConfiguration: { 'cleanup.policy': ['compact'] }, bindingVersion: '0.5.0' } } } : {}),
    };
    operations[`${owner}.publishes.${id}`] = {
      action: 'send',
      title: `${owner} publishes to ${topic}`,
      summary: 'From its transactional outbox: idempotent producer, acks=all, the aggregate id as key',
      channel: { $ref: `#/channels/${id}` },
      messages: types.map((t) => ref(id, t, false)),
    };
  }

  for (const [group, subscribed] of Object.entries(EventSubscriptions) as Array<[ServiceName, readonly EventType[]]>) {
    for (const topic of TOPICS) {
      const types = subscribed.filter((t) => EventCatalog[t].topic === topic).map(current);
      if (!types.length) continue;
      const main = channelId(topic);
      operations[`${group}.consumes.${main}`] = {
        action: 'receive',
        title: `${group} consumes ${topic}`,
        summary: `Consumer group ${group}; each event applied once through its inbox. Other event types on the topic are skipped.`,
        channel: { $ref: `#/channels/${main}` },
        messages: types.map((t) => ref(main, t, false)),
      };
      const parked = [
        ...retryDelaysMs.map((delay, i) => ({ address: retryTopic(topic, group, i + 1), description: `retry tier ${i + 1} of ${group}: records due ${delay} ms after they failed` })),
        { address: deadLetterTopic(topic, group), description: `dead letters of ${group}: records whose retries are spent or that can never succeed, kept for ever until an operator replays them` },
      ];
      for (const { address, description } of parked) {
        const id = channelId(address);
        channels[id] = { address, title: address, description, messages: channelMessages(types, true) };
        const isDlt = address === deadLetterTopic(topic, group);
        operations[`${group}.${isDlt ? 'dead-letters' : 'retries'}.${id}`] = {
          action: isDlt ? 'send' : 'receive',
          title: isDlt ? `${group} dead-letters records of ${topic}` : `${group} retries records of ${topic}`,
          channel: { $ref: `#/channels/${id}` },
          messages: types.map((t) => ref(id, t, true)),
        };
      }
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Shop platform events',
      version: '1.0.0',
      description:
        'Every topic of the platform: `<service>.<aggregate>.v<major>`, each event a JSON envelope (`id`, `type`, `version`, `source`, `aggregateId`, `aggregateVersion`, `occurredAt`, `data`) keyed by its aggregate id, with `event-id`, `event-type` and `traceparent` headers. A breaking change is a new version. A record a consumer group cannot process goes through the group\'s retry tiers (`<topic>.<group>.retry-<n>`) to its dead-letter topic (`<topic>.<group>.dlt`). The HTTP API is described by the [OpenAPI document](/docs/json) beside this one.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'kafka:9092', protocol: 'kafka', description: 'The cluster\'s broker (KAFKA_BROKERS); topics are created by the services at start-up' },
    },
    channels,
    operations,
    components: { messages },
  };
}
