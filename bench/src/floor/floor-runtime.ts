import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Consumer, EachBatchPayload, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { Pool, PoolClient, QueryResultRow } from 'pg';
import { countStatements, StatementCounts } from '@shop/platform/database';
import { correctKafkajsRequestQueue } from '@shop/platform/messaging';

/**
 * The floor: the order lifecycle on bare kafkajs and pg, as lean as the same
 * guarantees allow (an inbox row per event with its effect, an outbox row per
 * event in the same transaction, per-key order, offsets committed only after
 * the effect). It is what the bench measures the platform against, in the
 * same run: no framework, no validation library, no domain layer; statements
 * pipelined, a batch of records in one transaction, events handed to the
 * producer from memory after commit with the outbox row kept as the durable
 * record, and records skipped by their type header before they are parsed.
 */

/** An event as the platform's consumers read it: the envelope, with its data parsed (not validated). */
export interface FloorRecord {
  id: string;
  type: string;
  key: string;
  data: Record<string, unknown>;
}

/** An event to publish: written to the outbox in the unit, handed to the producer once it committed. */
export interface FloorEvent {
  topic: string;
  type: string;
  key: string;
  aggregateVersion: number;
  data: unknown;
}

export interface FloorOptions {
  service: string;
  databaseUrl: string;
  schema: string;
  brokers: string[];
  prefix: string;
}

/**
 * One transaction on one pipelined connection: queries sent without waiting
 * go out back to back. Every query is remembered, so the unit fails when any
 * of them did, awaited or not (COMMIT of a failed transaction is no error).
 */
export class FloorTx {
  readonly sent: Array<Promise<unknown>> = [];

  constructor(private readonly client: PoolClient) {}

  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    const result = this.client.query<R>(text, values).then((r) => r.rows);
    this.sent.push(result);
    return result;
  }
}

const OUTBOX_INSERT = `insert into outbox (id, topic, key, type, payload, headers)
  select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[]) returning seq`;

/** What one floor process counts, for the bench's cost per order. */
export interface FloorStats extends StatementCounts {
  kafkaRequests: number;
}

export class FloorRuntime {
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly stats: FloorStats = { statements: 0, transactions: 0, kafkaRequests: 0 };
  private producer?: Producer;
  private readonly consumers: Consumer[] = [];
  private readonly queue: Array<{ seq: string; topic: string; key: string; value: string; headers: Record<string, string> }> = [];
  private flushing = false;
  private readonly published: string[] = [];
  private markTimer?: NodeJS.Timeout;
  private recoveryTimer?: NodeJS.Timeout;
  private server?: Server;
  /** Every consumer group of this process has joined: it answers /health only then. */
  private joining = 0;

  constructor(readonly options: FloorOptions) {
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: 8,
      pipeline: true,
      options: `-c search_path=${options.schema}`,
    } as ConstructorParameters<typeof Pool>[0]);
    this.pool.on('error', () => undefined);
    countStatements(this.pool, this.stats);
    // The floor runs on the same corrected kafkajs as the platform: its idle 1 ms timer loop is no part of a floor.
    correctKafkajsRequestQueue();
    this.kafka = new Kafka({ clientId: `floor-${options.service}`, brokers: options.brokers, logLevel: logLevel.NOTHING });
  }

  topic(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  async start(): Promise<void> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    producer.on(producer.events.REQUEST, () => this.stats.kafkaRequests++);
    await producer.connect();
    this.producer = producer;
    // Marking is batched: one update for whatever was acknowledged in the last 100 ms.
    this.markTimer = setInterval(() => void this.mark(), 100);
    // The outbox stays the durable record: anything committed and not marked after a while (a crash between commit
    // and send) is sent again from the table.
    this.recoveryTimer = setInterval(() => void this.recover(), 5_000);
  }

  /** One unit: BEGIN, `work` (its reads and writes), the outbox rows, COMMIT; the events go to the producer once it committed. */
  async unit<T>(work: (tx: FloorTx) => Promise<{ result: T; events: FloorEvent[] }>): Promise<T> {
    const client = await this.pool.connect();
    let ok = false;
    try {
      const tx = new FloorTx(client);
      void tx.query('begin').catch(() => undefined);
      const { result, events } = await work(tx);
      const rows = this.rows(events);
      const insert = rows.length ? tx.query<{ seq: string }>(OUTBOX_INSERT, outboxValues(rows)) : undefined;
      const commit = client.query('commit');
      await Promise.all(tx.sent);
      await commit;
      const seqs = insert ? (await insert).map((r) => r.seq) : [];
      ok = true;
      this.enqueue(rows, seqs);
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release(ok ? undefined : new Error('unit failed'));
    }
  }

  /** After a commit: the rows go to the producer from memory, in commit order. */
  enqueue(rows: OutboxRow[], seqs: string[]): void {
    rows.forEach((row, i) => this.queue.push({ seq: seqs[i], topic: this.topic(row.topic), key: row.key, value: row.payload, headers: row.headers }));
    if (rows.length && !this.flushing) setImmediate(() => void this.flush());
  }

  rows(events: FloorEvent[]): OutboxRow[] {
    const now = new Date().toISOString();
    return events.map((e) => {
      const id = randomUUID();
      const payload = JSON.stringify({ id, type: e.type, version: 1, source: this.options.service, aggregateId: e.key, aggregateVersion: e.aggregateVersion, occurredAt: now, data: e.data });
      return { id, topic: e.topic, key: e.key, type: e.type, payload, headers: { 'event-id': id, 'event-type': e.type } };
    });
  }

  /**
   * Consumes `topics` as `group`, a partition's batch at a time: records of
   * other types are skipped by their header, unparsed; the rest are applied
   * by `apply` in one unit; offsets are resolved once it committed.
   */
  async consume(group: string, topics: string[], types: string[], apply: (records: FloorRecord[]) => Promise<void>): Promise<void> {
    const wanted = new Set(types);
    const consumer = this.kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 5_000, allowAutoTopicCreation: false });
    consumer.on(consumer.events.REQUEST, () => this.stats.kafkaRequests++);
    this.joining++;
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (!joined) this.joining--;
      joined = true;
    });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => this.topic(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 500,
      partitionsConsumedConcurrently: 16,
      eachBatch: async ({ batch, resolveOffset }: EachBatchPayload) => {
        const records: FloorRecord[] = [];
        for (const m of batch.messages) {
          const type = m.headers?.['event-type']?.toString();
          if (!type || !wanted.has(type)) continue;
          const e = JSON.parse(String(m.value)) as { id: string; data: Record<string, unknown> };
          records.push({ id: e.id, type, key: String(m.key), data: e.data });
        }
        if (records.length) await apply(records);
        resolveOffset(batch.messages[batch.messages.length - 1].offset);
      },
    });
  }

  /** Serves GET /stats (what it counted) and whatever `handle` answers. */
  async serve(port: number, handle?: (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/stats') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.stats));
        if (req.url === '/health') return void res.writeHead(this.joining === 0 ? 200 : 503).end();
        if (!handle) return void res.writeHead(404).end();
        handle(req, res, Buffer.concat(chunks).toString()).catch((err: Error) => res.writeHead(500).end(err.message));
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    clearInterval(this.markTimer);
    clearInterval(this.recoveryTimer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
    await this.flush();
    await this.mark();
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end();
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.producer) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 500);
        const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
        for (const r of batch) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { key: r.key, value: r.value, headers: r.headers }]);
        try {
          await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
          for (const r of batch) this.published.push(r.seq);
        } catch {
          // Left unmarked: the recovery poll sends it again.
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async mark(): Promise<void> {
    if (this.published.length === 0) return;
    const seqs = this.published.splice(0);
    await this.pool.query('update outbox set published_at = now() where seq = any($1::bigint[])', [seqs]).catch(() => this.published.push(...seqs));
  }

  private async recover(): Promise<void> {
    const rows = await this.pool
      .query<{ seq: string; topic: string; key: string; payload: string; headers: Record<string, string> }>(
        `select seq, topic, key, payload::text as payload, headers from outbox where published_at is null and created_at < now() - interval '5 seconds' order by seq limit 500`,
      )
      .then((r) => r.rows, () => []);
    for (const r of rows) this.queue.push({ seq: r.seq, topic: this.topic(r.topic), key: r.key, value: r.payload, headers: r.headers });
    if (rows.length) await this.flush();
  }
}

export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  payload: string;
  headers: Record<string, string>;
}

function outboxValues(rows: OutboxRow[]): unknown[] {
  return [rows.map((r) => r.id), rows.map((r) => r.topic), rows.map((r) => r.key), rows.map((r) => r.type), rows.map((r) => r.payload), rows.map((r) => JSON.stringify(r.headers))];
}

/** The inbox claim of a batch: the event ids that are new for this group (and so to apply). */
export async function claim(tx: FloorTx, group: string, records: FloorRecord[]): Promise<Set<string>> {
  const rows = await tx.query<{ id: string }>(
    `insert into inbox (consumer_group, event_id, event_type) select $1, * from unnest($2::uuid[], $3::text[]) on conflict do nothing returning event_id::text as id`,
    [group, records.map((r) => r.id), records.map((r) => r.type)],
  );
  return new Set(rows.map((r) => r.id));
}
