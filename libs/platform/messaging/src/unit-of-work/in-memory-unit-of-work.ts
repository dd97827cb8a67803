import type { QueryResultRow } from 'pg';
import type { ServiceName } from '@shop/shared/contracts';
import { Outbox, OutboundEvent, OutboxRow } from '../outbox/outbox';
import type { UnitOfWork, UnitTx } from './unit-of-work';

/**
 * A unit of work without a database, for a use case's unit spec (each
 * service keeps its in-memory repositories beside its specs): the handler
 * runs as in the service, against in-memory repositories that stage their
 * writes on the unit (`InMemoryTx.stage`). As the real one, the unit keeps
 * nothing of a `work` that throws: no write applied, no event published, no
 * afterCommit run. Its events go through the service's real outbox rules
 * (the publisher must own the event; its envelope must match the contract),
 * so a spec sees them as the consumers would, and a malformed event fails it.
 */
export class InMemoryUnitOfWork {
  /** Every outbox row of a committed unit, in the order published. */
  readonly published: OutboxRow[] = [];
  commits = 0;
  rollbacks = 0;
  private readonly outbox: Outbox;

  constructor(source: ServiceName) {
    this.outbox = new Outbox({ source, schema: source });
  }

  async run<T>(work: (tx: UnitTx) => Promise<T>): Promise<T> {
    const tx = new InMemoryTx();
    try {
      const result = await work(tx);
      const rows = this.outbox.rows(tx.events.map((event) => ({ event, context: {} })));
      for (const apply of tx.staged) apply();
      this.published.push(...rows);
      this.commits++;
      for (const callback of tx.committed) callback();
      return result;
    } catch (err) {
      this.rollbacks++;
      throw err;
    }
  }

  /** The type the handlers take (the double has its public shape, not its database). */
  get asUnitOfWork(): UnitOfWork {
    return this as unknown as UnitOfWork;
  }

  /** The envelopes published so far, as consumers get them. */
  get envelopes() {
    return this.published.map((row) => row.envelope);
  }
}

/** The unit an in-memory repository receives: `stage` what it writes; the unit applies it if it commits. */
export class InMemoryTx implements UnitTx {
  readonly events: OutboundEvent[] = [];
  readonly staged: Array<() => void> = [];
  readonly committed: Array<() => void> = [];

  /** The in-memory unit behind a `UnitTx` an in-memory repository was handed. */
  static of(tx: UnitTx): InMemoryTx {
    if (!(tx instanceof InMemoryTx)) throw new Error('an in-memory repository needs the InMemoryUnitOfWork');
    return tx;
  }

  query<R extends QueryResultRow = QueryResultRow>(): Promise<R[]> {
    return Promise.reject(new Error('an in-memory unit has no database: give the use case in-memory repositories'));
  }

  write(): void {
    throw new Error('an in-memory unit has no database: give the use case in-memory repositories');
  }

  publish(...events: OutboundEvent[]): void {
    this.events.push(...events);
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }

  stage(apply: () => void): void {
    this.staged.push(apply);
  }
}

/**
 * A consumer group's inbox without a database: `context(id)` is what an
 * isolated handler gets for one delivery of event `id`. Its `claim` records
 * the event in the unit, and answers false once a committed unit has.
 */
export class InMemoryInbox {
  readonly claimed = new Set<string>();

  context(eventId: string): { claim(tx: UnitTx): Promise<boolean> } {
    return {
      claim: (tx) => {
        if (this.claimed.has(eventId)) return Promise.resolve(false);
        InMemoryTx.of(tx).stage(() => this.claimed.add(eventId));
        return Promise.resolve(true);
      },
    };
  }
}
