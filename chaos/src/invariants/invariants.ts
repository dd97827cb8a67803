import { ChaosFacts, Expectations, oncePerAggregate, publisherOf, readsFrom, SERVICES, SUBSCRIPTIONS } from './chaos-facts';

export type InvariantKey = 'terminal' | 'no-duplicates' | 'no-event-lost' | 'states-agree' | 'retry-drained' | 'dead-letters';

export interface InvariantResult {
  key: InvariantKey;
  title: string;
  ok: boolean;
  /** One line of counts, for the table. */
  counts: string;
  /** Every violation, one line each. */
  problems: string[];
}

const TERMINAL = new Set(['DELIVERED', 'CANCELLED']);
const HAPPY_PATH = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'];

/** Evaluates the fault invariants of docs/contract.md on what the run left behind. */
export function evaluateInvariants(facts: ChaosFacts, expect: Expectations = {}): InvariantResult[] {
  return [terminal(facts), noDuplicates(facts), noEventLost(facts), statesAgree(facts), retryDrained(facts), deadLetters(facts, expect)];
}

export function violations(results: InvariantResult[]): InvariantResult[] {
  return results.filter((r) => !r.ok);
}

function byOrder<T extends { orderId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.orderId, [...(map.get(row.orderId) ?? []), row]);
  return map;
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k.toLowerCase()}`)
    .join(', ');
}

/** 1. Every accepted order, and every order the service stored at all, ends DELIVERED or CANCELLED. */
function terminal(facts: ChaosFacts): InvariantResult {
  const orders = new Map(facts.orders.map((o) => [o.id, o]));
  const problems: string[] = [];
  for (const id of facts.acceptedOrderIds) if (!orders.has(id)) problems.push(`accepted order ${id} is not in the order service`);
  const open = facts.orders.filter((o) => !TERMINAL.has(o.status));
  for (const o of open) problems.push(`order ${o.id} is still ${o.status}`);
  const accepted = new Set(facts.acceptedOrderIds);
  const unanswered = facts.orders.filter((o) => !accepted.has(o.id)).length;
  const settled = facts.orders.filter((o) => TERMINAL.has(o.status));
  const extra = unanswered ? `; ${unanswered} stored without a 2xx answer (also checked)` : '';
  return {
    key: 'terminal',
    title: 'accepted orders reach DELIVERED or CANCELLED',
    ok: problems.length === 0,
    counts: `${settled.length}/${facts.orders.length} terminal (${tally(settled.map((o) => o.status)) || 'none'}), ${facts.acceptedOrderIds.length} accepted${extra}`,
    problems,
  };
}

/** 2. One payment, reservation and delivery per order, one grant per product, each once-only event emitted once. */
function noDuplicates(facts: ChaosFacts): InvariantResult {
  const problems: string[] = [];
  const perOrder = (what: string, rows: Array<{ orderId: string }>) => {
    for (const [orderId, list] of byOrder(rows)) if (list.length > 1) problems.push(`${list.length} ${what} for order ${orderId}`);
  };
  perOrder('payments', facts.payments);
  perOrder('stock reservations', facts.reservations);
  perOrder('deliveries', facts.deliveries);
  const grants = new Map<string, number>();
  for (const g of facts.reviewGrants) grants.set(`${g.orderId}/${g.productId}`, (grants.get(`${g.orderId}/${g.productId}`) ?? 0) + 1);
  for (const [key, n] of grants) if (n > 1) problems.push(`${n} review grants for ${key}`);
  const emitted = new Map<string, number>();
  for (const row of facts.outbox) {
    if (!oncePerAggregate(row.type)) continue;
    const key = `${row.type} ${row.key}`;
    emitted.set(key, (emitted.get(key) ?? 0) + 1);
  }
  for (const [key, n] of emitted) if (n > 1) problems.push(`${key} emitted ${n} times`);
  for (const o of facts.orders) {
    if (new Set(o.history).size !== o.history.length) problems.push(`order ${o.id} repeats a step: ${o.history.join(' > ')}`);
  }
  return {
    key: 'no-duplicates',
    title: 'no payment, reservation, delivery or step twice',
    ok: problems.length === 0,
    counts: `${facts.payments.length} payments, ${facts.reservations.length} reservations, ${facts.deliveries.length} deliveries, ${problems.length} duplicated`,
    problems,
  };
}

/** 3. Every outbox row published, and every subscribed event in its consumer's inbox. */
function noEventLost(facts: ChaosFacts): InvariantResult {
  const problems: string[] = [];
  const unpublished = facts.outbox.filter((r) => !r.published);
  for (const service of SERVICES) {
    const n = unpublished.filter((r) => r.service === service).length;
    if (n) problems.push(`${service}: ${n} outbox row(s) never published`);
  }
  const published = facts.outbox.length - unpublished.length;
  if (facts.sourceTopicRecords < published) {
    problems.push(`${published - facts.sourceTopicRecords} published event(s) are not on the topics (${facts.sourceTopicRecords} records for ${published} published rows)`);
  }
  const copies = facts.sourceTopicRecords - published;
  const inboxes = new Map<string, Set<string>>();
  for (const row of facts.inbox) {
    const key = `${row.service}/${row.eventType}`;
    if (!inboxes.has(key)) inboxes.set(key, new Set());
    inboxes.get(key)?.add(row.eventId);
    if (!(SUBSCRIPTIONS[row.service] as string[]).includes(row.eventType)) {
      problems.push(`${row.service} inbox holds ${row.eventType}, a type missing from the SUBSCRIPTIONS table`);
    }
  }
  let expected = 0;
  let found = 0;
  for (const group of SERVICES) {
    for (const type of SUBSCRIPTIONS[group]) {
      // A consumer reads one version of a type, on that version's topic (catalog.products.v1 while v2 goes to its own).
      const emitted = facts.outbox.filter((r) => r.service === publisherOf(type) && r.type === type && readsFrom(r.topic, type));
      const inbox = inboxes.get(`${group}/${type}`) ?? new Set<string>();
      const missing = emitted.filter((r) => !inbox.has(r.id));
      expected += emitted.length;
      found += emitted.length - missing.length;
      if (missing.length) {
        problems.push(`${group} never processed ${missing.length} of ${emitted.length} ${type} (e.g. event ${missing[0].id}, aggregate ${missing[0].key})`);
      }
    }
  }
  const dedupedProblems = [...new Set(problems)];
  return {
    key: 'no-event-lost',
    title: 'every event published and in each subscriber’s inbox',
    ok: dedupedProblems.length === 0,
    counts: `${published}/${facts.outbox.length} published${copies > 0 ? ` (+${copies} re-sent copies)` : ''}; ${found}/${expected} deliveries in inboxes`,
    problems: dedupedProblems,
  };
}

function validHistory(history: string[], status: string): string | null {
  if (history.length === 0) return 'no history';
  if (history[history.length - 1] !== status) return `status ${status} but history ends ${history[history.length - 1]}`;
  const happy = history[history.length - 1] === 'CANCELLED' ? history.slice(0, -1) : history;
  if (happy.some((s, i) => HAPPY_PATH[i] !== s)) return `steps out of order: ${history.join(' > ')}`;
  if (status === 'CANCELLED' && (happy.includes('SHIPPED') || happy.includes('DELIVERED'))) return `cancelled after shipping: ${history.join(' > ')}`;
  return null;
}

/** 3b. What the order service says agrees with payment, catalog, delivery and review (one story per order); stock reconciles. */
function statesAgree(facts: ChaosFacts): InvariantResult {
  const problems: string[] = [];
  const payments = byOrder(facts.payments);
  const reservations = byOrder(facts.reservations);
  const deliveries = byOrder(facts.deliveries);
  const grants = new Set(facts.reviewGrants.map((g) => `${g.orderId}/${g.productId}`));
  const orders = new Map(facts.orders.map((o) => [o.id, o]));
  for (const o of facts.orders) {
    const payment = payments.get(o.id)?.[0]?.status;
    const reservation = reservations.get(o.id)?.[0]?.status;
    const delivery = deliveries.get(o.id)?.[0]?.status;
    const bad = (what: string) => problems.push(`order ${o.id} ${o.status}${o.cancelReason ? ` (${o.cancelReason})` : ''}: ${what}`);
    const history = validHistory(o.history, o.status);
    if (history) bad(history);
    if (o.history.includes('CONFIRMED') && payment !== 'AUTHORIZED' && payment !== 'REFUNDED') bad(`was confirmed but its payment is ${payment ?? 'missing'}`);
    if (o.status === 'DELIVERED') {
      if (payment !== 'AUTHORIZED') bad(`payment is ${payment ?? 'missing'}, not AUTHORIZED`);
      if (reservation !== 'RESERVED') bad(`stock reservation is ${reservation ?? 'missing'}, not RESERVED`);
      if (delivery !== 'DELIVERED') bad(`delivery is ${delivery ?? 'missing'}, not DELIVERED`);
      for (const item of o.items) if (!grants.has(`${o.id}/${item.productId}`)) bad(`no review grant for product ${item.productId}`);
    }
    if (o.status === 'SHIPPED' || o.status === 'DELIVERED') {
      // One story per order: a parcel that left is charged once, never refunded.
      if (payment === 'REFUNDED' && o.status === 'SHIPPED') bad('shipped, and its payment REFUNDED');
    }
    if (o.status === 'CANCELLED') {
      if (payment === 'AUTHORIZED') bad('payment still AUTHORIZED (never refunded)');
      if (reservation === 'RESERVED') bad('stock still RESERVED (never released)');
      if (delivery === 'SCHEDULED') bad('delivery still SCHEDULED');
      // A cancel that raced the courier must either stop the parcel or lose: never cancelled and shipped.
      if (delivery === 'DISPATCHED' || delivery === 'DELIVERED') bad(`cancelled, yet its parcel was ${delivery.toLowerCase()}`);
      if (o.cancelReason === 'OUT_OF_STOCK' && (reservation !== 'REJECTED' || payment)) bad(`reservation ${reservation ?? 'missing'}, payment ${payment ?? 'none'}`);
      if (o.cancelReason === 'PAYMENT_DECLINED' && payment !== 'DECLINED') bad(`payment is ${payment ?? 'missing'}, not DECLINED`);
    }
  }
  const orphans = (what: string, rows: Array<{ orderId: string }>) => {
    for (const r of rows) if (!orders.has(r.orderId)) problems.push(`${what} for unknown order ${r.orderId}`);
  };
  orphans('payment', facts.payments);
  orphans('stock reservation', facts.reservations);
  orphans('delivery', facts.deliveries);
  // Stock over every terminal state: what left the warehouse (a parcel dispatched or delivered, whatever the
  // order says) is gone; everything else was given back. A cancelled order whose parcel shipped shows here too.
  const shipped = new Map<string, number>();
  for (const o of facts.orders) {
    const delivery = deliveries.get(o.id)?.[0]?.status;
    if (o.status !== 'DELIVERED' && delivery !== 'DISPATCHED' && delivery !== 'DELIVERED') continue;
    for (const item of o.items) shipped.set(item.productId, (shipped.get(item.productId) ?? 0) + item.quantity);
  }
  let reconciled = 0;
  for (const p of facts.products) {
    const expected = p.initialStock - (shipped.get(p.id) ?? 0);
    if (p.stock !== expected) problems.push(`product ${p.id}: stock ${p.stock}, expected ${p.initialStock} − ${shipped.get(p.id) ?? 0} shipped = ${expected}`);
    else reconciled++;
  }
  return {
    key: 'states-agree',
    title: 'order, payment, stock and delivery states agree',
    ok: problems.length === 0,
    counts: `${facts.orders.length} orders cross-checked, stock reconciles on ${reconciled}/${facts.products.length} products`,
    problems,
  };
}

/** 4a. Nothing left behind in retry tiers, nor unconsumed on the source topics. */
function retryDrained(facts: ChaosFacts): InvariantResult {
  const behind = facts.lag.filter((l) => l.lag > 0);
  const retryTopics = facts.lag.filter((l) => l.retry);
  const sum = (rows: typeof facts.lag) => rows.reduce((s, l) => s + l.lag, 0);
  return {
    key: 'retry-drained',
    title: 'consumer lag 0 on retry tiers and source topics',
    ok: behind.length === 0,
    counts: `retry lag ${sum(retryTopics)} over ${retryTopics.length} topic(s), source lag ${sum(facts.lag.filter((l) => !l.retry))}`,
    problems: behind.map((l) => `group ${l.group} is ${l.lag} behind on ${l.topic}`),
  };
}

/** 4b. Dead letters: none, unless the scenario provokes them. */
function deadLetters(facts: ChaosFacts, expect: Expectations): InvariantResult {
  const total = facts.deadLetterTopics.reduce((s, t) => s + t.count, 0);
  const wanted = expect.deadLetters ?? 0;
  const problems =
    total === wanted
      ? []
      : [
          `${total} dead letter(s), expected ${wanted}`,
          ...facts.deadLetterTopics.filter((t) => t.count > 0).map((t) => `${t.topic}: ${t.count}`),
          ...facts.deadLetters.map((d) => `${d.service}: ${d.eventType ?? '?'} ${d.eventId ?? '?'} from ${d.originalTopic} after ${d.attempts} attempt(s): ${d.error}`),
        ];
  return {
    key: 'dead-letters',
    title: 'dead letters explained',
    ok: total === wanted,
    counts: `${total} dead letter(s), ${wanted} expected`,
    problems,
  };
}
