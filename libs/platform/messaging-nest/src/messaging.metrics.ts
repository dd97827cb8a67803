import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Counters and timings of the outbox and the consumers, registered once per process. */
export class MessagingMetrics {
  readonly records: Counter<'topic' | 'group' | 'outcome'>;
  readonly publishLag: Histogram<string>;
  readonly published: Counter<string>;
  readonly backlog: Gauge<string>;
  readonly replayed: Counter<'group'>;
  readonly lag: Gauge<'topic' | 'group'>;
  /** Set by the consumer transport once it runs: per-topic lag of its groups. */
  lagSource: () => Promise<Array<{ topic: string; group: string; lag: number }>> = async () => [];
  /** Set by the relay once it exists. */
  backlogSource: () => Promise<number> = async () => 0;

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
