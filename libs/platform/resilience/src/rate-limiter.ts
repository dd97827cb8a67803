/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface BucketRule {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per client, one set per class of request (anonymous reads,
 * a customer's reads, a customer's writes...). Buckets refill lazily when
 * taken from, so an idle client costs nothing but its entry; and a bucket
 * that has refilled completely is the same as no bucket, so the idle ones
 * are what goes first when more than `maxClients` are remembered.
 */
export class TokenBucketLimiter<C extends string> {
  private readonly buckets = new Map<C, Map<string, Bucket>>();
  private readonly now: () => number;

  constructor(
    private readonly rules: Record<C, BucketRule>,
    private readonly options: { maxClients: number; now?: () => number },
  ) {
    for (const [name, rule] of Object.entries(rules) as Array<[C, BucketRule]>) {
      if (!(rule.perSecond > 0 && rule.burst >= 1)) throw new Error(`rate limit ${name}: perSecond must be positive and burst at least 1`);
      this.buckets.set(name, new Map());
    }
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes a token for this client: 0 when allowed, otherwise the milliseconds until a token will be there. */
  take(kind: C, client: string): number {
    const rule = this.rules[kind];
    const buckets = this.buckets.get(kind) as Map<string, Bucket>;
    const now = this.now();
    let bucket = buckets.get(client);
    if (bucket === undefined) {
      if (buckets.size >= this.options.maxClients) this.forget(buckets, rule, now);
      bucket = { tokens: rule.burst, at: now };
      buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) * rule.perSecond) / 1000);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / rule.perSecond);
  }

  /** The rule of a class, to tell a refused client what it is allowed. */
  rule(kind: C): BucketRule {
    return this.rules[kind];
  }

  /** Clients remembered in a class. */
  size(kind: C): number {
    return this.buckets.get(kind)?.size ?? 0;
  }

  /** Makes room: clients whose bucket has refilled first, then (more active clients than the bound) the oldest entries. */
  private forget(buckets: Map<string, Bucket>, rule: BucketRule, now: number): void {
    const fullAfterMs = (rule.burst * 1000) / rule.perSecond;
    for (const [client, bucket] of buckets) {
      if (now - bucket.at >= fullAfterMs) buckets.delete(client);
    }
    const target = Math.floor(this.options.maxClients * 0.9);
    for (const client of buckets.keys()) {
      if (buckets.size <= target) break;
      buckets.delete(client);
    }
  }
}
