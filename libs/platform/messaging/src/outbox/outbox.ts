import { randomUUID } from 'node:crypto';
import {
  Envelope,
  EventCatalog,
  EventData,
  EventHeaders,
  EventType,
  parseEnvelope,
  ServiceName,
} from '@shop/shared/contracts';
import type { SqlTx } from '../sql-client';

export interface OutboundEvent<T extends EventType = EventType> {
  type: T;
  aggregateId: string;
  aggregateVersion: number;
  data: EventData<T>;
}

export interface OutboxOptions {
  source: ServiceName;
  /** The service's schema; also names the NOTIFY channel the relay listens on. */
  schema: string;
  /** Headers to carry with every event written now, e.g. the active trace context. */
  contextHeaders?: () => Record<string, string>;
}

export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

/**
 * Writes integration events into the service's outbox table, inside the
 * caller's transaction, so an event exists if and only if the state change
 * committed. The NOTIFY is delivered at commit and wakes the relay at once.
 */
export class Outbox {
  constructor(private readonly options: OutboxOptions) {}

  async append(tx: SqlTx, events: OutboundEvent[]): Promise<Envelope[]> {
    if (events.length === 0) return [];
    const now = new Date().toISOString();
    const context = this.options.contextHeaders?.() ?? {};
    const envelopes: Envelope[] = [];
    const values: unknown[] = [];
    const rows: string[] = [];
    for (const event of events) {
      const def = EventCatalog[event.type];
      if (def.source !== this.options.source) {
        throw new Error(`${this.options.source} may not publish ${event.type} (owned by ${def.source})`);
      }
      const envelope: Envelope = {
        id: randomUUID(),
        type: event.type,
        version: def.version,
        source: this.options.source,
        aggregateId: event.aggregateId,
        aggregateVersion: event.aggregateVersion,
        occurredAt: now,
        data: event.data,
      };
      // Validated when produced: a bug must never put a malformed event on the bus.
      parseEnvelope(envelope);
      const headers = { ...context, [EventHeaders.eventId]: envelope.id, [EventHeaders.eventType]: envelope.type };
      const n = values.length;
      rows.push(`($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb, $${n + 6}::jsonb)`);
      values.push(envelope.id, def.topic, event.aggregateId, event.type, JSON.stringify(envelope), JSON.stringify(headers));
      envelopes.push(envelope);
    }
    await tx.$executeRawUnsafe(
      `insert into outbox (id, topic, key, type, payload, headers) values ${rows.join(', ')}`,
      ...values,
    );
    await tx.$executeRawUnsafe(`notify ${outboxChannel(this.options.schema)}`);
    return envelopes;
  }
}
