import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConsumerHealth, RelayHealth } from '@shop/platform/messaging';

/** Counters and timings of the outbox and the consumers, registered once per process. */
export class MessagingMetrics {
  readonly records: Counter<'topic' | 'group' | 'outcome'>;
  readonly publishLag: Histogram<string>;
  readonly published: Counter<string>;
  readonly backlog: Gauge<string>;
  readonly replayed: Counter<'group'>;
  readonly lag: Gauge<'topic' | 'group'>;
  readonly producerReplaced: Counter<string>;
  readonly pruned: Counter<'table'>;
  /** Set by the consumer transport once it runs: per-topic lag of its groups. */
  lagSource: () => Promise<Array<{ topic: string; group: string; lag: number }>> = async () => [];
  /** Set by the relay once it exists. */
  backlogSource: () => Promise<number> = async () => 0;
  /** Set by the consumer transport: each group's state. */
  consumerSource: () => ConsumerHealth[] = () => [];
  /** Set by the relay: leadership and the age of the oldest unpublished row. */
  relaySource?: () => Promise<RelayHealth>;

  constructor(registry: Registry) {
    const source = () => this.backlogSource();
    this.records = new Counter({
      name: 'messaging_records_total',
      help: 'Records handled by consumers, by outcome (processed, skipped, retried, dead-lettered)',
      labelNames: ['topic', 'group', 'outcome'],
      registers: [registry],
    });
    this.published = new Counter({ name: 'outbox_published_total', help: 'Outbox rows published', registers: [registry] });
    this.publishLag = new Histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'From the outbox insert to the broker acknowledgement',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.replayed = new Counter({
      name: 'dead_letters_replayed_total',
      help: 'Dead letters re-published by a replay',
      labelNames: ['group'],
      registers: [registry],
    });
    const lagSource = () => this.lagSource();
    this.lag = new Gauge({
      name: 'messaging_consumer_lag',
      help: 'Records on the broker that the group has not committed yet, per topic',
      labelNames: ['topic', 'group'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const l of await lagSource().catch(() => [])) this.set({ topic: l.topic, group: l.group }, l.lag);
      },
    });
    this.producerReplaced = new Counter({
      name: 'kafka_producer_replaced_total',
      help: 'Idempotent producers replaced after a fatal producer error (unknown producer id, out-of-order sequence, fenced epoch)',
      registers: [registry],
    });
    this.pruned = new Counter({
      name: 'messaging_rows_pruned_total',
      help: 'Outbox, inbox and idempotency rows deleted once older than the retention window',
      labelNames: ['table'],
      registers: [registry],
    });
    const consumers = () => this.consumerSource();
    new Gauge({
      name: 'messaging_consumer_up',
      help: '1 while the consumer group member has joined and runs, 0 while it starts, restarts after a crash or stops',
      labelNames: ['group'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of consumers()) this.set({ group: c.group }, c.status === 'running' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'messaging_consumer_restarts',
      help: 'Restarts of the consumer group member after a crash since the process started',
      labelNames: ['group'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of consumers()) this.set({ group: c.group }, c.restarts);
      },
    });
    const relay = () => this.relaySource?.();
    new Gauge({
      name: 'outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when none waits)',
      registers: [registry],
      async collect() {
        const health = await relay()?.catch(() => undefined);
        this.set(health ? health.oldestPendingSeconds : -1);
      },
    });
    new Gauge({
      name: 'outbox_relay_leader',
      help: '1 when this instance holds the relay lock and publishes',
      registers: [registry],
      async collect() {
        const health = await relay()?.catch(() => undefined);
        this.set(health?.leader ? 1 : 0);
      },
    });
    this.backlog = new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows not yet published',
      registers: [registry],
      async collect() {
        this.set(await source().catch(() => -1));
      },
    });
  }
}
