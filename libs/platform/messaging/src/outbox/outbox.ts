import { randomUUID } from 'node:crypto';
import type { UnitPublisher, Write } from '@shop/platform/database';
import { Envelope, EventCatalog, EventData, EventHeaders, EventType, eventVersion, parseEnvelope, ServiceName } from '@shop/shared/contracts';

export interface OutboundEvent<T extends EventType = EventType> {
  type: T;
  aggregateId: string;
  aggregateVersion: number;
  data: EventData<T>;
  /** A newer version than EventCatalog's (NewerEventVersions), published beside it during its window; its data is checked against that version's schema. */
  version?: number;
}

export interface OutboxOptions {
  source: ServiceName;
  /** The service's schema; also names the NOTIFY channel the relay listens on. */
  schema: string;
  /** Headers to carry with every event written now, e.g. the active trace context. */
  contextHeaders?: () => Record<string, string>;
}

/** An event a unit published, with the trace context of the moment it was published. */
export interface PublishedEvent {
  event: OutboundEvent;
  context: Record<string, string>;
}

/** One outbox row: the envelope published as the value, keyed by its aggregate, with its headers. */
export interface OutboxRow {
  envelope: Envelope;
  topic: string;
  headers: Record<string, string>;
}

export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

/**
 * Turns a service's integration events into its outbox rows: the envelope
 * (validated when produced: a bug must never put a malformed event on the
 * bus), the topic and the headers. The unit of work inserts them in the same
 * statement as the state change; the table's trigger NOTIFYs the relay at
 * commit.
 */
export class Outbox implements UnitPublisher<OutboundEvent, PublishedEvent> {
  /** One statement for any number of rows: the arrays are unnested. */
  readonly insertSql =
    'insert into outbox (id, topic, key, type, payload, headers) select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])';

  constructor(private readonly options: OutboxOptions) {}

  /** The trace context to carry with events published now (captured when they are published, not when written). */
  context(): Record<string, string> {
    return this.options.contextHeaders?.() ?? {};
  }

  rows(events: PublishedEvent[]): OutboxRow[] {
    if (events.length === 0) return [];
    const now = new Date().toISOString();
    return events.map(({ event, context }) => {
      const def = EventCatalog[event.type];
      if (def.source !== this.options.source) {
        throw new Error(`${this.options.source} may not publish ${event.type} (owned by ${def.source})`);
      }
      const version = event.version ?? def.version;
      const target = eventVersion(event.type, version);
      if (!target) throw new Error(`${event.type} v${version} is not defined`);
      const envelope: Envelope = {
        id: randomUUID(),
        type: event.type,
        version,
        source: this.options.source,
        aggregateId: event.aggregateId,
        aggregateVersion: event.aggregateVersion,
        occurredAt: now,
        data: event.data,
      };
      parseEnvelope(envelope);
      return { envelope, topic: target.topic, headers: { ...context, [EventHeaders.eventId]: envelope.id, [EventHeaders.eventType]: envelope.type } };
    });
  }

  /** The trace context to carry, taken when the event is published (UnitPublisher). */
  capture(event: OutboundEvent): PublishedEvent {
    return { event, context: this.context() };
  }

  /** What a unit published, as its outbox rows: one insert in the unit's last statement (UnitPublisher). */
  write(published: PublishedEvent[]): Write | undefined {
    const rows = this.rows(published);
    return rows.length ? { sql: this.insertSql, values: this.insertValues(rows) } : undefined;
  }

  insertValues(rows: OutboxRow[]): unknown[] {
    return [
      rows.map((r) => r.envelope.id),
      rows.map((r) => r.topic),
      rows.map((r) => r.envelope.aggregateId),
      rows.map((r) => r.envelope.type),
      rows.map((r) => JSON.stringify(r.envelope)),
      rows.map((r) => JSON.stringify(r.headers)),
    ];
  }
}
