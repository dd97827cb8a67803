import type { Message } from 'kafkajs';
import { Client } from 'pg';
import { type Database, statement } from '@shop/platform/database';
import type { MessageSender } from '../producer';
import { outboxChannel } from './outbox';

export interface OutboxRelayOptions {
  /** The service's database (its pool); the relay adds one connection of its own, to LISTEN and hold the lead. */
  db: Database;
  databaseUrl: string;
  schema: string;
  producer: MessageSender;
  /** Prepended to every topic name (isolated test runs); empty in production. */
  topicPrefix?: string;
  batchSize?: number;
  /** Polling is the source of truth; NOTIFY only makes it prompt. */
  pollIntervalMs?: number;
  /** Longest pause after repeated failures (the first is pollIntervalMs, doubling). */
  maxBackoffMs?: number;
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

/** What readiness and metrics say about the relay. */
export interface RelayHealth {
  running: boolean;
  leader: boolean;
  /** Age of the oldest row not yet published, in seconds; 0 when none waits. */
  oldestPendingSeconds: number;
  consecutiveFailures: number;
  lastError?: string;
}

const PENDING = statement(
  `select seq, id, topic, key, payload, headers, created_at from outbox where published_at is null order by seq limit $1`,
);
const MARK = statement(
  `update outbox set published_at = clock_timestamp() where seq = any($1::bigint[])
   returning extract(epoch from (published_at - created_at))::float8 as lag`,
);

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
 * can never overtake each other. Rows are marked published only after the
 * broker acknowledged them (acks=all, idempotent producer); a crash in
 * between publishes them again, which the consumers' inboxes absorb.
 *
 * One loop does everything in turn (connect the listener, take the lead,
 * drain), so two passes can never race for the lock; any failure is logged and
 * the loop carries on after a capped backoff. A NOTIFY at commit wakes it.
 */
export class OutboxRelay {
  private listener?: Client;
  private leader = false;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private failures = 0;
  private lastError?: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly log: NonNullable<OutboxRelayOptions['log']>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.log = options.log ?? (() => undefined);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop, finishes the batch in flight, releases the leadership. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.dropListener();
  }

  /** Publishes what is pending now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Number of rows not yet published (for metrics and tests). */
  async backlog(): Promise<number> {
    const rows = await this.options.db.query<{ n: string }>('select count(*) as n from outbox where published_at is null');
    return Number(rows[0]?.n ?? 0);
  }

  async health(): Promise<RelayHealth> {
    const rows = await this.options.db.query<{ age: number | null }>(
      `select extract(epoch from clock_timestamp() - min(created_at))::float8 as age from outbox where published_at is null`,
    );
    return {
      running: this.running,
      leader: this.leader,
      oldestPendingSeconds: Math.max(0, rows[0]?.age ?? 0),
      consecutiveFailures: this.failures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Event re-publish: puts published events back in the queue, all or those
   * since a time and/or of one aggregate, in their original order and with
   * their original ids (consumers deduplicate). Returns how many.
   */
  async republish(filter: { since?: Date; aggregateId?: string } = {}): Promise<number> {
    const count = await this.options.db.execute(
      `update outbox set published_at = null
        where published_at is not null
          and ($1::timestamptz is null or created_at >= $1)
          and ($2::text is null or key = $2)`,
      [filter.since ?? null, filter.aggregateId ?? null],
    );
    // The leader may be another instance: tell it on the channel its listener hears.
    await this.options.db.execute(`select pg_notify('${outboxChannel(this.options.schema)}', '')`);
    this.wake();
    return count;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      try {
        if (!this.listener) await this.connectListener();
        if (!this.leader) await this.tryLead();
        if (this.leader) await this.drain();
        this.failures = 0;
        this.lastError = undefined;
      } catch (err) {
        this.failures += 1;
        this.lastError = (err as Error).message;
        this.log('warn', `outbox relay: ${this.lastError} (failure ${this.failures}, trying again)`);
      }
      if (!this.running) break;
      const backoff = this.failures ? Math.min(this.pollIntervalMs * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 10_000) : this.pollIntervalMs;
      // A NOTIFY during the drain concerns rows committed after our last claim: go again at once.
      if (!this.woken || this.failures) await this.sleep(backoff);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeUp = done;
    });
  }

  private async connectListener(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl, options: `-c search_path=${this.options.schema}` });
    client.on('error', (err) => {
      if (this.listener !== client) return;
      this.log('warn', `outbox relay listener lost: ${err.message}`);
      void this.dropListener();
      this.wake();
    });
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`listen ${outboxChannel(this.options.schema)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
  }

  /** Leadership ends with the listener's session, which holds the advisory lock. */
  private async dropListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }

  /** Session-level advisory lock on the listener connection: leadership ends with that connection. */
  private async tryLead(): Promise<void> {
    if (!this.listener) return;
    const { rows } = await this.listener.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
      `outbox-relay:${this.options.schema}`,
    ]);
    this.leader = rows[0]?.ok === true;
    if (this.leader) this.log('info', `outbox relay for ${this.options.schema} is publishing`);
  }

  private async drain(): Promise<void> {
    while (this.running && this.leader) {
      const published = await this.publishBatch();
      if (published < this.batchSize) return;
    }
  }

  /**
   * One batch: read the oldest unpublished rows, send them, mark them. Only
   * the leader publishes (it holds the advisory lock), so no row lock or
   * transaction is needed around the send: two statements and the broker's
   * acknowledgement. A crash between the send and the mark publishes the
   * rows again, which the consumers' inboxes absorb.
   */
  private async publishBatch(): Promise<number> {
    try {
      const db = this.options.db;
      const rows = await db.query<OutboxRow>(PENDING, [this.batchSize]);
      if (rows.length === 0) return 0;
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
      const marked = await db.query<{ lag: number }>(MARK, [rows.map((r) => r.seq)]);
      this.options.onPublished?.(rows.length, marked.map((m) => m.lag));
      return rows.length;
    } catch (err) {
      throw new Error(`could not publish: ${(err as Error).message}`);
    }
  }
}
