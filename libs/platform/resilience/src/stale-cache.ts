/**
 * The last good value per key, kept for a short time so a read can still be
 * answered while its source is down. Bounded by memory, not by count (one
 * page of a hundred products weighs as much as a hundred single products):
 * the least recently written keys go first.
 */
export class StaleCache<T> {
  private readonly entries = new Map<string, { value: T; storedAt: number; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly options: { ttlMs: number; maxBytes: number; sizeOf: (value: T) => number; now?: () => number },
  ) {}

  set(key: string, value: T): void {
    this.delete(key);
    // A key's characters are held too (UTF-16, two bytes each).
    const bytes = this.options.sizeOf(value) + 2 * key.length;
    if (bytes > this.options.maxBytes) return;
    // Re-inserting moves the key to the end of the Map's order, which is the eviction order.
    this.entries.set(key, { value, storedAt: this.now(), bytes });
    this.bytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.options.maxBytes) break;
      this.delete(oldest);
    }
  }

  /** The value and its age, or undefined when there is none younger than the TTL. */
  get(key: string): { value: T; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ageMs = this.now() - entry.storedAt;
    if (ageMs > this.options.ttlMs) {
      this.delete(key);
      return undefined;
    }
    return { value: entry.value, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries held weigh, by `sizeOf` and their keys. */
  get sizeInBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
