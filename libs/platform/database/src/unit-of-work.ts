import type { QueryResultRow } from 'pg';
import { Connection, Database, Statement, statement } from './database';

/**
 * A write the unit sends later, together with the unit's other writes and its
 * publisher's write (the outbox rows), as one statement (each write one data-modifying CTE). Its SQL
 * numbers its own parameters from $1. Writes sent together share one snapshot
 * and must not touch the same row: give each write the `key` of the row it
 * changes, and a write whose key is pending already is sent after it.
 */
export interface Write {
  sql: string;
  values: unknown[];
  /** The row it changes, e.g. `product:<id>`; two writes of one key never go in one statement. */
  key?: string;
  /** Called with the number of rows the write touched; throw to fail the unit (a version check, say). */
  expect?: (count: number) => void;
}

/** Writes sent in one statement at most: a rebuild or a long batch does not make one huge statement. */
const MAX_WRITES_PER_STATEMENT = 32;

/** What a repository sees of a unit of work: its reads and its queued writes, in one transaction. */
export interface Tx {
  /** Reads now (locking, with FOR UPDATE), after sending the writes still pending: a read sees the unit's own changes. */
  query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]>;
  /** Queues a write for the unit's next statement. */
  write(write: Write): void;
  /** Runs once the unit has committed (to wake a worker that must see its rows); not at all if it rolls back. */
  afterCommit(callback: () => void): void;
}

/** What a use case sees of its unit of work: a repository's view, and what it publishes. */
export interface PublishingTx<E> extends Tx {
  /** Queues events: the publisher's write goes in the same statement as the last writes, in this transaction. */
  publish(...events: E[]): void;
}

/**
 * What commits with every unit besides its own writes: the messaging
 * library's outbox is one. It keeps what it needs of each event when the
 * event is published (the trace context active at that moment, say), and
 * turns what the unit published into one write, sent last.
 */
export interface UnitPublisher<E, S = unknown> {
  capture(event: E): S;
  /** One write for everything published, or undefined when nothing was. */
  write(published: S[]): Write | undefined;
}

/**
 * One transaction per use case: the state change and the events it produces
 * commit together, so an event exists if and only if its change does.
 *
 * It is cheap by construction. Writes are not sent one by one: they wait until
 * the next read or the end, then go as one statement with what it published.
 * BEGIN is sent only when the unit reads; a unit that only writes (placing an
 * order) is a single statement, atomic on its own, with no BEGIN or COMMIT.
 */
export class UnitOfWork<E, S = unknown> {
  constructor(
    private readonly db: Database,
    private readonly publisher: UnitPublisher<E, S>,
  ) {}

  /** Runs `work` in one unit and commits it; nothing of it is kept if `work` throws. */
  run<T>(work: (tx: PublishingTx<E>) => Promise<T>): Promise<T> {
    return new Unit(this.db, this.publisher).run(work);
  }
}

class Unit<E, S> implements PublishingTx<E> {
  private writes: Write[] = [];
  private published: S[] = [];
  private committed: Array<() => void> = [];
  private connection?: Connection;

  constructor(
    private readonly db: Database,
    private readonly publisher: UnitPublisher<E, S>,
  ) {}

  async run<T>(work: (tx: PublishingTx<E>) => Promise<T>): Promise<T> {
    try {
      const result = await work(this);
      if (this.connection) {
        await this.flush();
        await this.connection.commit();
      } else {
        await this.flushAlone();
      }
      for (const callback of this.committed) callback();
      return result;
    } catch (err) {
      if (this.connection) await this.connection.rollback();
      throw err;
    } finally {
      // Back to the pool, unless it broke while the unit held it.
      this.connection?.release();
    }
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string | Statement, values?: unknown[]): Promise<R[]> {
    const connection = await this.begin();
    await this.flush();
    return connection.query<R>(sql, values);
  }

  write(write: Write): void {
    this.writes.push(write);
  }

  publish(...events: E[]): void {
    // Captured now, while the request or record that caused them is the active span.
    for (const event of events) this.published.push(this.publisher.capture(event));
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }

  /** Sends what is pending, in this unit's transaction. */
  async flush(): Promise<void> {
    const statements = this.compose();
    if (statements.length === 0) return;
    const connection = this.connection ?? (await this.begin());
    for (const s of statements) this.check(await connection.query(s.statement, s.values), s.expects);
  }

  private async begin(): Promise<Connection> {
    if (this.connection) return this.connection;
    this.connection = await this.db.connect();
    await this.connection.begin();
    return this.connection;
  }

  /**
   * A unit that never read: when its writes and events fit one statement, that
   * statement runs alone, on any connection, atomic and committed on its own.
   * Not when a write's count is checked: the check runs after the statement,
   * so a refused unit (a duplicate key: 409) must still be able to roll back.
   */
  private async flushAlone(): Promise<void> {
    const pending = this.writes.length + this.published.length;
    if (pending === 0) return;
    if (this.segments(this.writes).length <= 1 && !this.writes.some((w) => w.expect)) {
      const [s] = this.compose();
      this.check(await this.db.query(s.statement, s.values), s.expects);
      return;
    }
    await this.flush();
    await this.connection?.commit();
  }

  /** Consecutive runs of writes that can share a statement: a repeated key or a full statement starts the next. */
  private segments(writes: Write[]): Write[][] {
    const segments: Write[][] = [];
    let current: Write[] = [];
    let keys = new Set<string>();
    for (const w of writes) {
      if (current.length >= MAX_WRITES_PER_STATEMENT || (w.key !== undefined && keys.has(w.key))) {
        segments.push(current);
        current = [];
        keys = new Set();
      }
      current.push(w);
      if (w.key !== undefined) keys.add(w.key);
    }
    if (current.length) segments.push(current);
    return segments;
  }

  /** The pending writes as statements (the publisher's write in the last), in order. */
  private compose(): Array<{ statement: Statement; values: unknown[]; expects: Array<(count: number) => void> }> {
    const segments = this.segments(this.writes);
    const published = this.published.length ? this.publisher.write(this.published) : undefined;
    this.writes = [];
    this.published = [];
    if (segments.length === 0 && !published) return [];
    if (segments.length === 0) segments.push([]);
    return segments.map((writes, i) => this.statementOf(writes, i === segments.length - 1 ? published : undefined));
  }

  private statementOf(writes: Write[], published: Write | undefined): { statement: Statement; values: unknown[]; expects: Array<(count: number) => void> } {
    const values: unknown[] = [];
    const parts: string[] = [];
    const counted: string[] = [];
    const expects: Array<(count: number) => void> = [];
    const add = (sql: string, own: unknown[]) => {
      const offset = values.length;
      values.push(...own);
      return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    };
    writes.forEach((w, i) => {
      let sql = add(w.sql, w.values);
      if (w.expect) {
        if (!/\breturning\b/i.test(sql)) sql += ' returning 1';
        counted.push(`(select count(*) from w${i})::int`);
        expects.push(w.expect);
      }
      parts.push(`w${i} as (${sql})`);
    });
    if (published) parts.push(`o as (${add(published.sql, published.values)})`);
    const text = `with ${parts.join(', ')} select ${counted.length ? counted.map((c, i) => `${c} as c${i}`).join(', ') : '1 as c'}`;
    return { statement: statement(text), values, expects };
  }

  private check(result: QueryResultRow[], expects: Array<(count: number) => void>): void {
    const row = result[0] ?? {};
    expects.forEach((expect, i) => expect(Number(row[`c${i}`] ?? 0)));
  }
}
