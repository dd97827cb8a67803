import type { IHeaders, Kafka, Message } from 'kafkajs';
import type { Database } from '@shop/platform/database';
import { deadLetterTopic, DltHeaders, headerString, retryTopic } from '../consumer/dead-letter';
import { EventHeaders } from '@shop/shared/contracts';
import type { MessageSender } from '../producer';
import { readTopicsToEnd, ReadRecord } from '../topic-reader';

export interface DeadLetterView {
  /** `<dead-letter topic>/<partition>/<offset>`: what replay takes. */
  id: string;
  eventId: string | null;
  eventType: string | null;
  originalTopic: string;
  partition: number;
  offset: string;
  error: string;
  attempts: number;
  deadLetteredAt: string;
}

export interface DeadLettersOptions {
  kafka: Kafka;
  producer: MessageSender;
  /** The consumer group whose dead letters these are. */
  groupId: string;
  /** The source topics the group consumes (already prefixed). */
  topics: string[];
  /** The service's database: replayed records are marked there. */
  db: Database;
}

/**
 * The group's dead-letter topics as a queue an operator can list and replay.
 * Kafka cannot delete one record, so a replayed record is marked in the
 * service's `dead_letter_replays` table (by its place and its timestamp), and
 * only after the broker acknowledged its re-publication: a replay removes nothing it has not
 * re-published, and replaying twice is absorbed by the consumers' inboxes.
 */
export class DeadLetters {
  constructor(private readonly options: DeadLettersOptions) {}

  get topics(): string[] {
    return this.options.topics.map((t) => deadLetterTopic(t, this.options.groupId));
  }

  /**
   * Dead letters not replayed yet, oldest first. Every partition is read to
   * its end before the limit applies: records come partition by partition, so
   * stopping at the limit would list one partition's and hide the oldest.
   */
  async list(limit = 100): Promise<DeadLetterView[]> {
    // Only the `limit` oldest are kept while reading: a topic holding millions costs a scan, not their memory.
    let oldest: Array<{ at: number; order: number; record: ReadRecord }> = [];
    let seen = 0;
    await this.scan(async (records) => {
      for (const record of records) oldest.push({ at: Number(record.message.timestamp), order: seen++, record });
      if (oldest.length > 2 * limit) oldest = oldest.sort(byAge).slice(0, limit);
    });
    return oldest
      .sort(byAge)
      .slice(0, limit)
      .map((i) => view(i.record));
  }

  /**
   * Re-publishes dead letters (all, or those whose ids are given) to their
   * group's first retry tier, due at once, with their original key, value and
   * headers; then marks them replayed.
   */
  async replay(options: { ids?: string[]; limit?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
    const wanted = options.ids ? new Set(options.ids) : undefined;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let replayed = 0;
    await this.scan(async (records) => {
      const chosen = records.filter((r) => !wanted || wanted.has(idOf(r))).slice(0, Math.max(0, limit - replayed));
      for (let i = 0; i < chosen.length; i += 500) {
        const slice = chosen.slice(i, i + 500);
        const byTopic = new Map<string, Message[]>();
        for (const r of slice) {
          const original = headerString(r.message.headers, DltHeaders.originalTopic) ?? r.topic.replace(/\.[^.]+\.dlt$/, '');
          const target = retryTopic(original, this.options.groupId, 1);
          const list = byTopic.get(target) ?? [];
          list.push({ key: r.message.key, value: r.message.value, headers: replayHeaders(r.message.headers) });
          byTopic.set(target, list);
        }
        await this.options.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        await this.mark(slice);
        replayed += slice.length;
        options.onProgress?.(replayed);
      }
    });
    return replayed;
  }

  /**
   * Reads the dead-letter topics, skipping records already replayed: known by
   * their place and their own timestamp, since a new broker (or a recreated
   * topic) hands out the same offsets again to other records.
   */
  private async scan(onRecords: (records: ReadRecord[]) => Promise<void>): Promise<void> {
    await readTopicsToEnd(this.options.kafka, this.topics, async (records) => {
      const rows = await this.options.db.query<{ id: string }>(
        `select topic || '/' || partition || '/' || "offset" || '@' || record_timestamp as id from dead_letter_replays
          where (topic, partition, "offset", record_timestamp) in (select * from unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]))`,
        identities(records),
      );
      const done = new Set(rows.map((r) => r.id));
      const fresh = records.filter((r) => !done.has(`${idOf(r)}@${r.message.timestamp}`));
      if (fresh.length) await onRecords(fresh);
    });
  }

  private async mark(records: ReadRecord[]): Promise<void> {
    await this.options.db.execute(
      `insert into dead_letter_replays (topic, partition, "offset", record_timestamp)
       select * from unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) on conflict do nothing`,
      identities(records),
    );
  }
}

const byAge = (a: { at: number; order: number }, b: { at: number; order: number }) => a.at - b.at || a.order - b.order;

function idOf(r: ReadRecord): string {
  return `${r.topic}/${r.partition}/${r.message.offset}`;
}

/** What tells a dead letter apart from every other, this broker's or a later one's: its place and its timestamp. */
function identities(records: ReadRecord[]): unknown[] {
  return [records.map((r) => r.topic), records.map((r) => r.partition), records.map((r) => r.message.offset), records.map((r) => r.message.timestamp)];
}

/** Event id and type from the headers, or from the value when a producer did not set the headers. */
function identify(r: ReadRecord): { id: string | null; type: string | null } {
  const h = r.message.headers;
  let id = headerString(h, EventHeaders.eventId) ?? null;
  let type = headerString(h, EventHeaders.eventType) ?? null;
  if (!id || !type) {
    try {
      const value = JSON.parse(r.message.value?.toString() ?? '') as { id?: unknown; type?: unknown };
      id ??= typeof value.id === 'string' ? value.id : null;
      type ??= typeof value.type === 'string' ? value.type : null;
    } catch {
      // unparseable: that may be why it is here
    }
  }
  return { id, type };
}

function view(r: ReadRecord): DeadLetterView {
  const h = r.message.headers;
  const event = identify(r);
  return {
    id: idOf(r),
    eventId: event.id,
    eventType: event.type,
    originalTopic: headerString(h, DltHeaders.originalTopic) ?? '',
    partition: Number(headerString(h, DltHeaders.originalPartition) ?? -1),
    offset: headerString(h, DltHeaders.originalOffset) ?? '',
    error: headerString(h, DltHeaders.exceptionMessage) ?? '',
    attempts: Number(headerString(h, DltHeaders.attempts) ?? 0),
    deadLetteredAt: new Date(Number(r.message.timestamp)).toISOString(),
  };
}

/** Back through the tiers from the start: attempts reset, due now; the origin headers stay. */
function replayHeaders(headers: IHeaders | undefined): IHeaders {
  const next: IHeaders = { ...(headers ?? {}) };
  next[DltHeaders.attempts] = '0';
  next[DltHeaders.dueAt] = String(Date.now());
  return next;
}
