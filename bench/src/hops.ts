import { Client } from 'pg';
import type { ServiceName } from '@shop/shared/contracts';
import type { TestPlatform } from '@shop/testing';
import { SERVICES } from './bench-platform';

/** One arrow of the order's flow: an event one service published and another applied. */
export interface Hop {
  producer: ServiceName;
  type: string;
  /** The consumer group that applied it. */
  consumer: string;
  /** Events of this type the producer wrote during the run. */
  written: number;
  /** Of those, the ones the relay had published when the round ended. */
  published: number;
  /** Of those, the ones the consumer had applied (its inbox row committed) when the round ended. */
  applied: number;
  /** Outbox row written → acknowledged by the broker (the relay's lag), in ms. */
  relay: { p50: number; p99: number };
  /** Published → the consumer's transaction that applied it began (inbox `processed_at`), in ms. */
  pickup: { p50: number; p99: number };
}

/**
 * Per-hop timings read from the services' own tables once a round is over
 * (bench/PROFILE.md, "Hops of the order lifecycle"): each service's outbox
 * (`created_at`, `published_at`) joined on the event id with every other
 * service's inbox (`processed_at`, the start of the transaction that applied
 * it). Where an arrow's counts fall behind, or its pickup grows, is where
 * the lifecycle waits. Reads all five schemas, so it connects as the admin.
 */
export async function readHops(platform: TestPlatform): Promise<Hop[]> {
  const url = new URL(platform.db.adminUrl);
  url.pathname = `/${platform.db.dbName}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const schema = (s: ServiceName) => `"${platform.db.schemaOf(s)}"`;
    const outbox = SERVICES.map((s) => `select '${s}'::text as service, id, type, created_at, published_at from ${schema(s)}.outbox`).join(' union all ');
    const inbox = SERVICES.map((s) => `select consumer_group as consumer, event_id, processed_at from ${schema(s)}.inbox`).join(' union all ');
    const ms = (a: string, b: string, q: number) => `percentile_cont(${q}) within group (order by extract(epoch from ${a} - ${b}) * 1000)`;
    const { rows } = await client.query<{
      producer: ServiceName;
      type: string;
      consumer: string;
      written: string;
      published: string;
      applied: string;
      relay_p50: number | null;
      relay_p99: number | null;
      pickup_p50: number | null;
      pickup_p99: number | null;
    }>(
      `with o as (${outbox}), i as (${inbox}),
            consumers as (select distinct o.service as producer, o.type, i.consumer from o join i on i.event_id = o.id)
       select c.producer, c.type, c.consumer,
              count(o.id) as written,
              count(o.published_at) as published,
              count(i.event_id) as applied,
              ${ms('o.published_at', 'o.created_at', 0.5)} as relay_p50,
              ${ms('o.published_at', 'o.created_at', 0.99)} as relay_p99,
              ${ms('i.processed_at', 'o.published_at', 0.5)} as pickup_p50,
              ${ms('i.processed_at', 'o.published_at', 0.99)} as pickup_p99
         from consumers c
         join o on o.service = c.producer and o.type = c.type
         left join i on i.event_id = o.id and i.consumer = c.consumer
        group by c.producer, c.type, c.consumer
        order by min(o.created_at), c.consumer`,
    );
    const n = (v: number | null) => (v === null ? Number.NaN : Number(v));
    return rows.map((r) => ({
      producer: r.producer,
      type: r.type,
      consumer: r.consumer,
      written: Number(r.written),
      published: Number(r.published),
      applied: Number(r.applied),
      relay: { p50: n(r.relay_p50), p99: n(r.relay_p99) },
      pickup: { p50: n(r.pickup_p50), p99: n(r.pickup_p99) },
    }));
  } finally {
    await client.end();
  }
}
