import { Parser } from '@asyncapi/parser';
import { EventCatalog, EventSubscriptions, EventType, parseEnvelope, Topics } from '@shop/shared/contracts';
import { buildAsyncApiDocument, exampleOf } from './asyncapi.document';

interface Doc {
  asyncapi: string;
  info: { description: string };
  channels: Record<string, { address: string; messages: Record<string, unknown> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { messages: Record<string, { headers: unknown; examples: Array<{ headers: Record<string, string>; payload: unknown }> }> };
}

const document = buildAsyncApiDocument([1_000, 10_000, 60_000]) as unknown as Doc;
const parser = new Parser();
/** The parser's findings at error level (0); warnings and hints (1..3) are advice, such as a newer version existing. */
const errorsOf = async (doc: unknown) =>
  (await parser.validate(JSON.stringify(doc))).filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0 for the AsyncAPI parser', async () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(await errorsOf(document)).toEqual([]);
  });

  it('is refused by the parser when broken, so the check can fail', async () => {
    const broken = structuredClone(document);
    const [first] = Object.keys(broken.channels);
    delete (broken.channels as Record<string, unknown>)[first];
    broken.channels.extra = { address: 42 } as unknown as Doc['channels'][string];
    expect((await errorsOf(broken)).length).toBeGreaterThan(0);
  });

  it('has every topic, and for each consumer group the retry tiers and dead-letter topic of each topic it reads', () => {
    const addresses = Object.values(document.channels).map((c) => c.address);
    const expected: string[] = [...Object.values(Topics)];
    for (const [group, types] of Object.entries(EventSubscriptions)) {
      for (const topic of new Set(types.map((t) => EventCatalog[t].topic))) {
        expected.push(`${topic}.${group}.retry-1`, `${topic}.${group}.retry-2`, `${topic}.${group}.retry-3`, `${topic}.${group}.dlt`);
      }
    }
    expect(addresses.sort()).toEqual(expected.sort());
    expect(addresses).toContain('order.orders.v1.payment.dlt');
    expect(addresses).toContain('catalog.products.v1.order.retry-3');
  });

  it('describes every event type with its version, and each example is an event the consumers accept', () => {
    for (const [type, def] of Object.entries(EventCatalog)) {
      for (const id of [`${type}.v${def.version}`, `${type}.v${def.version}.parked`]) {
        const message = document.components.messages[id];
        expect(message).toBeDefined();
        const [example] = message.examples;
        expect(example.headers['event-type']).toBe(type);
        const parsed = parseEnvelope(example.payload);
        expect(parsed).toMatchObject({ type, version: def.version, source: def.source });
        expect(example.headers['event-id']).toBe(parsed.id);
      }
    }
  });

  it('has a send operation for each topic by its owner and a receive operation for each group that handles events of it', () => {
    const ops = Object.entries(document.operations).map(([id, op]) => `${op.action} ${id}`);
    expect(ops).toContain('send order.publishes.order_orders_v1');
    expect(ops).toContain('receive catalog.consumes.order_orders_v1');
    expect(ops).toContain('send payment.dead-letters.order_orders_v1_payment_dlt');
    expect(ops).not.toContain('receive payment.consumes.catalog_products_v1');
  });

  it('points to the OpenAPI document', () => {
    expect(document.info.description).toContain('[OpenAPI document](/docs/json)');
  });

  it('refuses to make up an example for a pattern it does not know', () => {
    expect(() => exampleOf({ type: 'string', pattern: '^[a-z]+$' })).toThrow('no example for the pattern');
    expect(exampleOf({ type: 'object', properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' } } })).toEqual({ currency: 'EUR' });
  });

  it('gives a type every example uses exactly once', () => {
    const types = Object.values(document.components.messages).map((m) => (m.examples[0].payload as { type: EventType }).type);
    expect(new Set(types)).toEqual(new Set(Object.keys(EventCatalog)));
  });
});
