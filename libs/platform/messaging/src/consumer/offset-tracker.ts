import type { Consumer } from 'kafkajs';

/**
 * Commits only offsets of records that are finished: handled, or safely
 * parked in a retry or dead-letter topic. kafkajs's auto-commit would also
 * commit a record the retry consumer merely looked at and put back, so the
 * consumers run with autoCommit off and flush this every interval and on stop.
 */
export class OffsetTracker {
  private readonly done = new Map<string, { topic: string; partition: number; offset: bigint }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly consumer: Consumer,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** The record at `offset` is finished; the next to read is offset + 1. */
  finished(topic: string, partition: number, offset: string): void {
    const key = `${topic}\u0000${partition}`;
    const next = BigInt(offset) + 1n;
    const current = this.done.get(key);
    if (!current || current.offset < next) this.done.set(key, { topic, partition, offset: next });
  }

  async flush(): Promise<void> {
    if (this.done.size === 0) return;
    const taken = [...this.done.entries()];
    this.done.clear();
    try {
      await this.consumer.commitOffsets(taken.map(([, o]) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })));
    } catch (err) {
      // Not committed: keep them for the next flush (unless newer ones arrived meanwhile), or the group's lag
      // would show records long finished until the partition happens to move again. Should a rebalance have
      // taken the partition, its next owner reads them again and the inboxes absorb them.
      for (const [key, o] of taken) {
        const current = this.done.get(key);
        if (!current || current.offset < o.offset) this.done.set(key, o);
      }
      throw err;
    }
  }

  /** Ends the periodic flush; commits what is finished unless the consumer is gone (after a crash). */
  async stop(options: { commit?: boolean } = {}): Promise<void> {
    clearInterval(this.timer);
    if (options.commit === false) {
      this.done.clear();
      return;
    }
    await this.flush().catch(() => undefined);
  }
}
