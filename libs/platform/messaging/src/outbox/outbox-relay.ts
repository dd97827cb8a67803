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
  /**
   * How long a leader may go unheard before it loses the lead. It proves
   * itself on its listener session every quarter of this; the server ends a
   * session idle this long (idle_session_timeout), which frees the advisory
   * lock even when the leader's node died without a word (no FIN: TCP alone
   * would keep the session for hours); a leader whose proof goes unanswered
   * for half of this stops publishing. Another instance leads within about
   * this plus the poll interval. 10 s by default.
   */
  leaseMs?: number;
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
  /** Rows the broker refused for good, set aside for an operator (a republish of their aggregate sends them again). */
  failedRows: number;
  /** Topics the broker cannot take now (missing, no leader), tried again after a pause while the others go on. */
  blockedTopics: Array<{ topic: string; error: string }>;
}

/**
 * The oldest rows to publish: not of a topic that is paused, and not of an
 * aggregate with an earlier row set aside (its order must hold).
 */
const PENDING = statement(
  `select seq, id, topic, key, payload, headers, created_at from outbox o
    where published_at is null and failed_at is null and topic <> all($2::text[])
      and not exists (select 1 from outbox f where f.failed_at is not null and f.published_at is null and f.key = o.key and f.seq < o.seq)
    order by seq limit $1`,
);
const MARK = statement(
  `update outbox set published_at = clock_timestamp() where seq = any($1::bigint[])
   returning extract(epoch from (published_at - created_at))::float8 as lag`,
);
const SET_ASIDE = statement(`update outbox set failed_at = clock_timestamp(), last_error = $2 where seq = $1`);

/**
 * Refusals that sending the same record again cannot change: the broker
 * judged the record itself. Anything else (a topic missing or without a
 * leader, a timeout) may pass later.
 */
const REFUSED_FOR_GOOD = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP']);

function refusedForGood(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const { type, cause, errors } = e as { type?: string; cause?: unknown; errors?: unknown[] };
    if (type && REFUSED_FOR_GOOD.has(type)) return true;
    return visit(cause) || (Array.isArray(errors) && errors.some(visit));
  };
  return visit(err);
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
  private heartbeat?: NodeJS.Timeout;
  /** Topics the broker could not take, and until when they are left alone. */
  private readonly paused = new Map<string, { until: number; error: string; backoffMs: number }>();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly log: NonNullable<OutboxRelayOptions['log']>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 10_000;
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
    clearInterval(this.heartbeat);
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
    const rows = await this.options.db.query<{ age: number | null; failed: number }>(
      `select extract(epoch from clock_timestamp() - min(created_at))::float8 as age, count(failed_at)::int as failed
         from outbox where published_at is null`,
    );
    const now = Date.now();
    return {
      running: this.running,
      leader: this.leader,
      oldestPendingSeconds: Math.max(0, rows[0]?.age ?? 0),
      consecutiveFailures: this.failures,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      failedRows: rows[0]?.failed ?? 0,
      blockedTopics: [...this.paused].filter(([, p]) => p.until > now).map(([topic, p]) => ({ topic, error: p.error })),
    };
  }

  /**
   * Event re-publish: puts published events back in the queue, all or those
   * since a time and/or of one aggregate, in their original order and with
   * their original ids (consumers deduplicate). Returns how many.
   */
  async republish(filter: { since?: Date; aggregateId?: string } = {}): Promise<number> {
    // Rows set aside after the broker refused them are sent again too: the operator fixed what was wrong.
    const count = await this.options.db.execute(
      `update outbox set published_at = null, failed_at = null, last_error = null
        where (published_at is not null or failed_at is not null)
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
    const client = new Client({
      connectionString: this.options.databaseUrl,
      keepAlive: true,
      // Its queries are tiny (listen, the lock, the heartbeat): one unanswered for half a lease means the session is lost.
      query_timeout: Math.max(100, Math.floor(this.leaseMs / 2)),
      // The server ends this session once it has been idle for a lease, so a leader that went silent (its node
      // gone, its network cut) frees the advisory lock for another instance; a live one proves itself in time.
      options: `-c search_path=${this.options.schema} -c idle_session_timeout=${this.leaseMs}`,
    });
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
    this.startHeartbeat(client);
  }

  /**
   * Proves the session alive every quarter lease, which also keeps the server
   * from ending it. A proof unanswered within half a lease means the session
   * cannot be trusted to still hold the lock: the lead is dropped before the
   * server could have handed it to someone else.
   */
  private startHeartbeat(client: Client): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (this.listener !== client) return;
      client.query('select 1').catch((err: Error) => {
        if (this.listener !== client) return;
        this.log('warn', `outbox relay: its database session did not answer (${err.message}); giving up the lead`);
        void this.dropListener();
        this.wake();
      });
    }, Math.max(50, Math.floor(this.leaseMs / 4)));
    this.heartbeat.unref();
  }

  /**
   * Leadership ends with the listener's session, which holds the advisory
   * lock. A session cut without a word cannot even say goodbye: its socket is
   * destroyed rather than waited on.
   */
  private async dropListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    this.leader = false;
    clearInterval(this.heartbeat);
    if (!client) return;
    const ended = client.end().catch(() => undefined);
    const timer = setTimeout(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy(), 1_000);
    await ended;
    clearTimeout(timer);
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
   *
   * Each topic is sent on its own, so a topic the broker cannot take stops
   * only itself (an aggregate's events all go to one topic, so their order
   * holds): one the broker cannot take now (missing, no leader) is left alone
   * for a growing pause while the others go on; a record refused for good (too
   * large, invalid) is set aside with the broker's error, and its aggregate's
   * later rows wait behind it. Returns the rows read.
   */
  private async publishBatch(): Promise<number> {
    const db = this.options.db;
    const now = Date.now();
    const paused = [...this.paused].filter(([, p]) => p.until > now).map(([topic]) => topic);
    const rows = await db.query<OutboxRow>(PENDING, [this.batchSize, paused]).catch((err: Error) => {
      throw new Error(`could not read the outbox: ${err.message}`);
    });
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    const results = await Promise.all([...byTopic].map(async ([topic, list]) => ({ topic, list, error: await this.send(list).then(() => undefined, (e: unknown) => e) })));
    const sent = results.filter((r) => r.error === undefined).flatMap((r) => r.list);
    if (sent.length) {
      this.options.afterPublish?.();
      const marked = await db.query<{ lag: number }>(MARK, [sent.map((r) => r.seq)]);
      this.options.onPublished?.(sent.length, marked.map((m) => m.lag));
    }
    for (const { topic, list, error } of results) {
      if (error === undefined) {
        this.paused.delete(topic);
      } else if (refusedForGood(error)) {
        await this.setAsideRefused(list);
      } else {
        this.pause(topic, error);
      }
    }
    const failed = results.filter((r) => r.error !== undefined && !refusedForGood(r.error));
    if (failed.length === results.length) throw new Error(`could not publish: ${(failed[0].error as Error).message}`);
    return rows.length;
  }

  private send(rows: OutboxRow[]): Promise<unknown> {
    const topic = `${this.options.topicPrefix ?? ''}${rows[0].topic}`;
    const messages: Message[] = rows.map((row) => ({ key: row.key, value: JSON.stringify(row.payload), headers: { ...row.headers } }));
    const send = () => this.options.producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    return this.options.wrapSend ? this.options.wrapSend(messages.map((m) => ({ topic, headers: m.headers as Record<string, string> })), send) : send();
  }

  /** A topic the broker cannot take now: left alone for a pause that doubles while it lasts, up to maxBackoffMs. */
  private pause(topic: string, error: unknown): void {
    const previous = this.paused.get(topic);
    const backoffMs = Math.min(previous ? previous.backoffMs * 2 : this.pollIntervalMs, this.options.maxBackoffMs ?? 10_000);
    const message = (error as Error)?.message ?? String(error);
    this.paused.set(topic, { until: Date.now() + backoffMs, error: message, backoffMs });
    this.log('warn', `outbox relay: ${topic} cannot take events now (${message}); the other topics go on, it is tried again in ${backoffMs} ms`);
  }

  /**
   * A batch the broker refused for good: each row is sent alone, in order, to
   * find the ones at fault. Those are set aside with the broker's error, and
   * so their aggregate's later rows wait (not sent here either); the others
   * are published as usual.
   */
  private async setAsideRefused(rows: OutboxRow[]): Promise<void> {
    const blocked = new Set<string>();
    for (const row of rows) {
      if (blocked.has(row.key)) continue;
      try {
        await this.send([row]);
        await this.options.db.query(MARK, [[row.seq]]);
      } catch (err) {
        if (!refusedForGood(err)) throw err;
        blocked.add(row.key);
        const message = (err as Error).message;
        await this.options.db.execute(SET_ASIDE, [row.seq, message]);
        this.log('error', `outbox relay: the broker refused event ${row.id} (aggregate ${row.key}) for good: ${message}; it and its aggregate's later events wait for an operator (republish that aggregate once fixed)`);
      }
    }
  }
}
