import type { Database } from '@shop/platform/database';

/** A table whose rows may go once `column` is older than the window (the row is no longer needed to deduplicate or replay). */
export interface PruneTable {
  table: string;
  column: string;
  /** Extra condition a row must meet, e.g. `published_at is not null`. */
  also?: string;
}

export interface PrunerOptions {
  db: Database;
  /**
   * Outbox rows (published ones only) and the service's own tables (the
   * order service's idempotency keys) go after this long. Event re-publish
   * reaches back as far as the outbox does.
   */
  retentionMs: number;
  /** Extra tables pruned after `retentionMs`. */
  tables?: PruneTable[];
  intervalMs?: number;
  /** Rows per delete statement, and statements per table per run: each run is bounded. */
  batchSize?: number;
  maxBatches?: number;
  onPruned?: (table: string, count: number) => void;
  log?: (level: 'warn', message: string) => void;
}

/**
 * Deletes what the messaging tables no longer need, a bounded amount per run
 * so it never holds long locks: published outbox rows and idempotency keys
 * older than the retention, and inbox rows older than twice the retention. The
 * inbox outlives the outbox on purpose: whatever a republish can still send
 * again, every consumer still remembers having processed.
 */
export class Pruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly options: PrunerOptions) {}

  get tables(): Array<PruneTable & { retentionMs: number }> {
    const r = this.options.retentionMs;
    return [
      { table: 'outbox', column: 'published_at', also: 'published_at is not null', retentionMs: r },
      { table: 'inbox', column: 'processed_at', retentionMs: 2 * r },
      ...(this.options.tables ?? []).map((t) => ({ ...t, retentionMs: r })),
    ];
  }

  start(): void {
    const every = this.options.intervalMs ?? 600_000;
    this.timer = setInterval(() => {
      this.running ??= this.pruneOnce()
        .catch((err) => this.options.log?.('warn', `pruning failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One bounded pass over every table; returns the rows deleted per table. */
  async pruneOnce(now = new Date()): Promise<Record<string, number>> {
    const batch = this.options.batchSize ?? 1_000;
    const result: Record<string, number> = {};
    for (const t of this.tables) {
      const cutoff = new Date(now.getTime() - t.retentionMs);
      let total = 0;
      for (let i = 0; i < (this.options.maxBatches ?? 20); i++) {
        const deleted = await this.options.db.execute(
          `delete from ${t.table} where ctid = any(array(
             select ctid from ${t.table} where ${t.column} < $1 ${t.also ? `and ${t.also}` : ''} limit $2))`,
          [cutoff, batch],
        );
        total += deleted;
        if (deleted < batch) break;
      }
      result[t.table] = total;
      if (total) this.options.onPruned?.(t.table, total);
    }
    return result;
  }
}
