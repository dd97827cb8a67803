import { Client } from 'pg';
import type { Admin } from 'kafkajs';
import { topicOf, Topics } from '@shop/shared/contracts';
import { authHeaders, TestPlatform } from '@shop/testing';
import { ChaosFacts, DeadLetterFact, InboxFact, LagFact, OutboxFact, ServiceName, SERVICES, SUBSCRIPTIONS } from './chaos-facts';

/** Rows of one service's own schema, read as that service's own role (it can read nothing else). */
export async function query<T>(platform: TestPlatform, service: ServiceName, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: platform.db.urlFor(service) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(platform: TestPlatform, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = platform.kafka.kafka('chaos-checker').admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The run's retry tiers and dead-letter topics: `<source>.<group>.retry-<n>` and `<source>.<group>.dlt`, all under the run's prefix. */
function runTopics(prefix: string, topics: string[]): { retry: Map<ServiceName, string[]>; dlt: Array<{ topic: string; service: ServiceName }> } {
  const retry = new Map<ServiceName, string[]>();
  const dlt: Array<{ topic: string; service: ServiceName }> = [];
  for (const topic of topics.filter((t) => t.startsWith(prefix))) {
    for (const service of SERVICES) {
      if (topic.includes(`.${prefix}${service}.retry-`)) retry.set(service, [...(retry.get(service) ?? []), topic]);
      if (topic.endsWith(`.${prefix}${service}.dlt`)) dlt.push({ topic, service });
    }
  }
  return { retry, dlt };
}

/**
 * How far each consumer group of the run is behind, main and retry groups
 * alike. A partition the group never committed counts from its low
 * watermark: records nobody took are lag too.
 */
export async function consumerLag(platform: TestPlatform): Promise<LagFact[]> {
  const prefix = `${platform.kafka.prefix}.`;
  return withAdmin(platform, async (admin) => {
    const { retry } = runTopics(prefix, await admin.listTopics());
    const result: LagFact[] = [];
    const measure = async (group: string, topics: string[], isRetry: boolean) => {
      if (topics.length === 0) return;
      const committed = await admin.fetchOffsets({ groupId: group, topics });
      for (const { topic, partitions } of committed) {
        const watermarks = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
        let lag = 0;
        for (const p of watermarks.values()) {
          const at = partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
          const from = Math.max(Number(at), Number(p.low));
          lag += Math.max(0, Number(p.high) - from);
        }
        result.push({ group, topic, lag, retry: isRetry });
      }
    };
    for (const service of SERVICES) {
      const sources = [...new Set(SUBSCRIPTIONS[service].map((t) => prefix + topicOf(t)))];
      await measure(prefix + service, sources, false);
      await measure(`${prefix}${service}.retry`, retry.get(service) ?? [], true);
    }
    return result;
  });
}

/** Records on the run's source topics (high minus low watermark over every partition). */
async function sourceTopicRecords(platform: TestPlatform): Promise<number> {
  return withAdmin(platform, async (admin) => {
    const existing = new Set(await admin.listTopics());
    let total = 0;
    for (const topic of Object.values(Topics).map((t) => `${platform.kafka.prefix}.${t}`)) {
      if (!existing.has(topic)) continue;
      total += (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
    }
    return total;
  });
}

async function deadLetterCounts(platform: TestPlatform): Promise<Array<{ topic: string; service: ServiceName; count: number }>> {
  const prefix = `${platform.kafka.prefix}.`;
  return withAdmin(platform, async (admin) => {
    const counts: Array<{ topic: string; service: ServiceName; count: number }> = [];
    for (const { topic, service } of runTopics(prefix, await admin.listTopics()).dlt) {
      const offsets = await admin.fetchTopicOffsets(topic);
      counts.push({ topic, service, count: offsets.reduce((s, p) => s + Number(p.high) - Number(p.low), 0) });
    }
    return counts;
  });
}

/** The dead letters as each service's operator route lists them (error and attempts from their headers). */
async function deadLetterSamples(platform: TestPlatform, services: ServiceName[]): Promise<DeadLetterFact[]> {
  const found: DeadLetterFact[] = [];
  for (const service of services) {
    const res = await fetch(`${platform.url(service)}/admin/dlq?limit=20`, { headers: await authHeaders('chaos-ops', 'admin') });
    if (!res.ok) {
      found.push({ service, eventType: null, eventId: null, originalTopic: '?', error: `listing failed: HTTP ${res.status}`, attempts: 0 });
      continue;
    }
    const { items } = (await res.json()) as { items: Array<Omit<DeadLetterFact, 'service'>> };
    for (const item of items) found.push({ service, eventType: item.eventType, eventId: item.eventId, originalTopic: item.originalTopic, error: item.error, attempts: item.attempts });
  }
  return found;
}

/** Reads what the run left behind: every service's own tables, the consumer groups' offsets and the dead-letter topics. */
export async function collectFacts(platform: TestPlatform, run: { acceptedOrderIds: string[]; initialStock: Map<string, number> }): Promise<ChaosFacts> {
  const orders = await query<{ id: string; status: string; cancel_reason: string | null }>(platform, 'order', 'select id, status, cancel_reason from orders');
  const items = await query<{ order_id: string; product_id: string; quantity: number }>(platform, 'order', 'select order_id, product_id, quantity from order_items');
  const history = await query<{ order_id: string; status: string }>(platform, 'order', 'select order_id, status from order_status_history order by order_id, at, id');
  const itemsOf = new Map<string, Array<{ productId: string; quantity: number }>>();
  for (const i of items) itemsOf.set(i.order_id, [...(itemsOf.get(i.order_id) ?? []), { productId: i.product_id, quantity: i.quantity }]);
  const historyOf = new Map<string, string[]>();
  for (const h of history) historyOf.set(h.order_id, [...(historyOf.get(h.order_id) ?? []), h.status]);

  const byOrder = (rows: Array<{ order_id: string; status: string }>) => rows.map((r) => ({ orderId: r.order_id, status: r.status }));
  const outbox: OutboxFact[] = [];
  const inbox: InboxFact[] = [];
  for (const service of SERVICES) {
    for (const r of await query<{ id: string; topic: string; type: string; key: string; published: boolean }>(platform, service, 'select id, topic, type, key, published_at is not null as published from outbox')) {
      outbox.push({ service, ...r });
    }
    for (const r of await query<{ consumer_group: string; event_id: string; event_type: string }>(platform, service, 'select consumer_group, event_id, event_type from inbox')) {
      inbox.push({ service, group: r.consumer_group, eventId: r.event_id, eventType: r.event_type });
    }
  }
  const products = await query<{ id: string; stock: number }>(platform, 'catalog', 'select id, stock from products');
  const deadLetterTopics = await deadLetterCounts(platform);
  const withDeadLetters = SERVICES.filter((s) => deadLetterTopics.some((t) => t.count > 0 && t.service === s));
  return {
    acceptedOrderIds: run.acceptedOrderIds,
    orders: orders.map((o) => ({ id: o.id, status: o.status, cancelReason: o.cancel_reason, items: itemsOf.get(o.id) ?? [], history: historyOf.get(o.id) ?? [] })),
    payments: byOrder(await query(platform, 'payment', 'select order_id, status from payments')),
    reservations: byOrder(await query(platform, 'catalog', 'select order_id, status from stock_reservations')),
    deliveries: byOrder(await query(platform, 'delivery', 'select order_id, status from deliveries')),
    reviewGrants: (await query<{ order_id: string; product_id: string }>(platform, 'review', 'select order_id, product_id from review_grants')).map((g) => ({
      orderId: g.order_id,
      productId: g.product_id,
    })),
    // Only the run's own products: their starting stock is known.
    products: products.filter((p) => run.initialStock.has(p.id)).map((p) => ({ id: p.id, stock: p.stock, initialStock: run.initialStock.get(p.id) ?? 0 })),
    outbox,
    sourceTopicRecords: await sourceTopicRecords(platform),
    inbox,
    lag: await consumerLag(platform),
    deadLetterTopics: deadLetterTopics.map(({ topic, count }) => ({ topic, count })),
    deadLetters: await deadLetterSamples(platform, withDeadLetters),
  };
}

/** What settling waits for: nothing open, nothing unpublished, nothing unconsumed. */
export interface SettleProbe {
  openOrders: number;
  movingDeliveries: number;
  unpublished: number;
  lag: number;
}

export async function probeSettled(platform: TestPlatform): Promise<SettleProbe> {
  const count = async (service: ServiceName, sql: string) => (await query<{ n: number }>(platform, service, sql))[0].n;
  let unpublished = 0;
  for (const service of SERVICES) unpublished += await count(service, 'select count(*)::int as n from outbox where published_at is null');
  return {
    openOrders: await count('order', "select count(*)::int as n from orders where status not in ('DELIVERED', 'CANCELLED')"),
    movingDeliveries: await count('delivery', "select count(*)::int as n from deliveries where status in ('SCHEDULED', 'DISPATCHED')"),
    unpublished,
    lag: (await consumerLag(platform)).reduce((s, l) => s + l.lag, 0),
  };
}
