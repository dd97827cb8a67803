import type { Message, Producer } from 'kafkajs';
import { Client, Pool } from 'pg';
import { outboxChannel } from './outbox';

export interface OutboxRelayOptions {
  databaseUrl: string;
  schema: string;
  producer: Producer;
  /** Prepended to every topic name (isolated test runs); empty in production. */
  topicPrefix?: string;
  batchSize?: number;
  /** Polling is the source of truth; NOTIFY only makes it prompt. */
  pollIntervalMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: object) => void;
  /** Seconds from the row's insert to the broker's acknowledgement. */
  onPublished?: (count: number, lagSeconds: number[]) => void;
  /**
   * Fault injection for chaos tests: runs after the broker acknowledged a
   * batch and before the rows are marked, where a crash is most awkward.
   */
  afterPublish?: () => void;
  /** Wraps each send, e.g. to continue every record's stored trace (it may rewrite the records' headers). */
  wrapSend?: <T>(records: Array<{ topic: string; headers: Record<string, string> }>, send: () => Promise<T>) => Promise<T>;
}

interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * Publishes outbox rows to Kafka, oldest first. One relay per service holds
 * an advisory lock and publishes; others stand by, so events of one aggregate
 * can never overtake each other. Rows are claimed with FOR UPDATE SKIP LOCKED
 * and marked published only after the broker acknowledged them (acks=all,
 * idempotent producer); a crash in between publishes them again, which the
 * consumers' inboxes absorb.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private listener?: Client;
  private leader = false;
  private running = false;
  private wakeRequested = false;
  private draining?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly log: NonNullable<OutboxRelayOptions['log']>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: 2,
      options: `-c search_path=${options.schema}`,
    });
    this.pool.on('error', (err) => this.log('warn', `outbox relay pool: ${err.message}`));
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.log = options.log ?? (() => undefined);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.connectListener();
    this.schedule();
  }

  /** Stops polling, finishes the batch in flight, releases the leadership. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    this.leader = false;
    await this.pool.end().catch(() => undefined);
  }

  /** Number of rows not yet published (for metrics and tests). */
  async backlog(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('select count(*) as n from outbox where published_at is null');
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Event re-publish: puts published events back in the queue, all or those
   * since a time and/or of one aggregate, in their original order and with
   * their original ids (consumers deduplicate). Returns how many.
   */
  async republish(filter: { since?: Date; aggregateId?: string } = {}): Promise<number> {
    const { rowCount } = await this.pool.query(
      `update outbox set published_at = null
        where published_at is not null
          and ($1::timestamptz is null or created_at >= $1)
          and ($2::text is null or key = $2)`,
      [filter.since ?? null, filter.aggregateId ?? null],
    );
    if (this.leader) void this.wake();
    return rowCount ?? 0;
  }

  /** Publishes everything pending now; resolves when the outbox is empty or leadership is lost. */
  wake(): Promise<void> {
    if (this.draining) {
      this.wakeRequested = true;
      return this.draining;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.wakeRequested && this.running) {
        this.wakeRequested = false;
        void this.wake();
      }
    });
    return this.draining;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.pollIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  private async tick(): Promise<void> {
    try {
      if (!this.listener) await this.connectListener();
      if (!this.leader) await this.tryLead();
      if (this.leader) await this.wake();
    } catch (err) {
      this.log('warn', `outbox relay: ${(err as Error).message}`);
    }
  }

  private async connectListener(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl, options: `-c search_path=${this.options.schema}` });
    client.on('error', (err) => {
      this.log('warn', `outbox relay listener lost: ${err.message}`);
      this.listener = undefined;
      this.leader = false;
    });
    client.on('notification', () => void (this.leader && this.wake()));
    await client.connect();
    await client.query(`listen ${outboxChannel(this.options.schema)}`);
    this.listener = client;
    await this.tryLead();
  }

  /** Session-level advisory lock on the listener connection: leadership ends with that connection. */
  private async tryLead(): Promise<void> {
    if (!this.listener) return;
    const { rows } = await this.listener.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
      `outbox-relay:${this.options.schema}`,
    ]);
    const wasLeader = this.leader;
    this.leader = rows[0]?.ok === true;
    if (this.leader && !wasLeader) this.log('info', `outbox relay for ${this.options.schema} is publishing`);
  }

  private async drain(): Promise<void> {
    while (this.running && this.leader) {
      const published = await this.publishBatch();
      if (published < this.batchSize) return;
    }
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<OutboxRow>(
        `select seq, id, topic, key, payload, headers, created_at from outbox
          where published_at is null order by seq limit $1 for update skip locked`,
        [this.batchSize],
      );
      if (rows.length === 0) {
        await client.query('commit');
        return 0;
      }
      const byTopic = new Map<string, Message[]>();
      const records: Array<{ topic: string; headers: Record<string, string> }> = [];
      for (const row of rows) {
        const topic = `${this.options.topicPrefix ?? ''}${row.topic}`;
        const headers = { ...row.headers };
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key: row.key, value: JSON.stringify(row.payload), headers });
        byTopic.set(topic, messages);
        records.push({ topic, headers });
      }
      const send = () =>
        this.options.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      await (this.options.wrapSend ? this.options.wrapSend(records, send) : send());
      this.options.afterPublish?.();
      const { rows: marked } = await client.query<{ lag: number }>(
        `update outbox set published_at = clock_timestamp() where seq = any($1::bigint[])
         returning extract(epoch from (published_at - created_at))::float8 as lag`,
        [rows.map((r) => r.seq)],
      );
      await client.query('commit');
      this.options.onPublished?.(rows.length, marked.map((m) => m.lag));
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      this.log('warn', `outbox relay could not publish: ${(err as Error).message}`);
      return 0;
    } finally {
      client.release();
    }
  }
}
