import { EventType, topicOf, Topics } from '@shop/shared/contracts';
import { ChaosFacts, OutboxFact, ServiceName, SUBSCRIPTIONS } from './chaos-facts';
import { evaluateInvariants, InvariantKey, InvariantResult, violations } from './invariants';

const A = 'product-a';
const B = 'product-b';

function event(service: ServiceName, type: string, key: string, topic = `t.${topicOf(type as EventType)}`): OutboxFact {
  return { service, id: `${type}:${key}`, topic, type, key, published: true };
}

/** Three orders after a clean run: one delivered, one declined, one out of stock. */
function healthy(): ChaosFacts {
  const outbox: OutboxFact[] = [
    event('catalog', 'catalog.product-upserted', A),
    event('catalog', 'catalog.product-upserted', B),
    ...['order.placed', 'order.awaiting-payment', 'order.confirmed', 'order.shipped', 'order.delivered'].map((t) => event('order', t, 'o1')),
    ...['order.placed', 'order.awaiting-payment', 'order.cancelled'].map((t) => event('order', t, 'o2')),
    ...['order.placed', 'order.cancelled'].map((t) => event('order', t, 'o3')),
    event('catalog', 'catalog.stock-reserved', 'o1'),
    event('catalog', 'catalog.stock-reserved', 'o2'),
    event('catalog', 'catalog.stock-released', 'o2'),
    event('catalog', 'catalog.stock-rejected', 'o3'),
    event('payment', 'payment.authorized', 'o1'),
    event('payment', 'payment.declined', 'o2'),
    ...['delivery.scheduled', 'delivery.dispatched', 'delivery.delivered'].map((t) => event('delivery', t, 'o1')),
  ];
  // Every subscriber took every event, and wrote its inbox row, also where it had nothing to do (a declined order's cancellation).
  const inbox = Object.entries(SUBSCRIPTIONS).flatMap(([group, types]) =>
    outbox.filter((e) => (types as string[]).includes(e.type)).map((e) => ({ service: group as ServiceName, group, eventId: e.id, eventType: e.type })),
  );
  return {
    acceptedOrderIds: ['o1', 'o2', 'o3'],
    orders: [
      { id: 'o1', status: 'DELIVERED', cancelReason: null, items: [{ productId: A, quantity: 3 }], history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'] },
      { id: 'o2', status: 'CANCELLED', cancelReason: 'PAYMENT_DECLINED', items: [{ productId: B, quantity: 1 }], history: ['PENDING', 'AWAITING_PAYMENT', 'CANCELLED'] },
      { id: 'o3', status: 'CANCELLED', cancelReason: 'OUT_OF_STOCK', items: [{ productId: B, quantity: 20 }], history: ['PENDING', 'CANCELLED'] },
    ],
    payments: [
      { orderId: 'o1', status: 'AUTHORIZED' },
      { orderId: 'o2', status: 'DECLINED' },
    ],
    reservations: [
      { orderId: 'o1', status: 'RESERVED' },
      { orderId: 'o2', status: 'RELEASED' },
      { orderId: 'o3', status: 'REJECTED' },
    ],
    deliveries: [{ orderId: 'o1', status: 'DELIVERED' }],
    reviewGrants: [{ orderId: 'o1', productId: A }],
    products: [
      { id: A, stock: 97, initialStock: 100 },
      { id: B, stock: 10, initialStock: 10 },
    ],
    outbox,
    sourceTopicRecords: outbox.length,
    inbox,
    lag: [
      { group: 't.payment', topic: 't.order.orders.v1', lag: 0, retry: false },
      { group: 't.payment.retry', topic: 't.order.orders.v1.t.payment.retry-1', lag: 0, retry: true },
    ],
    deadLetterTopics: [{ topic: 't.order.orders.v1.t.payment.dlt', count: 0 }],
    deadLetters: [],
  };
}

function result(results: InvariantResult[], key: InvariantKey): InvariantResult {
  const found = results.find((r) => r.key === key);
  if (!found) throw new Error(`no ${key} result`);
  return found;
}

function failing(facts: ChaosFacts): InvariantKey[] {
  return violations(evaluateInvariants(facts)).map((r) => r.key);
}

describe('chaos invariants', () => {
  it('holds every invariant after a clean run', () => {
    const results = evaluateInvariants(healthy());
    expect(violations(results)).toEqual([]);
    expect(result(results, 'terminal').counts).toBe('3/3 terminal (2 cancelled, 1 delivered), 3 accepted');
    expect(result(results, 'no-event-lost').counts).toMatch(/; 20\/20 deliveries in inboxes$/);
    expect(result(results, 'states-agree').counts).toBe('3 orders cross-checked, stock reconciles on 2/2 products');
  });

  it('reports an accepted order the order service never stored, and one left open', () => {
    const facts = healthy();
    facts.acceptedOrderIds.push('o-lost');
    facts.orders[0] = { ...facts.orders[0], status: 'SHIPPED', history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED'] };
    facts.deliveries[0].status = 'DISPATCHED';
    facts.products[0].stock = 100;
    const terminal = result(evaluateInvariants(facts), 'terminal');
    expect(terminal.ok).toBe(false);
    expect(terminal.problems).toEqual(['accepted order o-lost is not in the order service', 'order o1 is still SHIPPED']);
  });

  it('checks orders stored without a 2xx answer too (a gateway that died mid-request)', () => {
    const facts = healthy();
    facts.acceptedOrderIds = ['o1', 'o2'];
    const terminal = result(evaluateInvariants(facts), 'terminal');
    expect(terminal.ok).toBe(true);
    expect(terminal.counts).toContain('1 stored without a 2xx answer (also checked)');
  });

  it('reports a second payment for one order and an event emitted twice', () => {
    const facts = healthy();
    facts.payments.push({ orderId: 'o1', status: 'AUTHORIZED' });
    facts.outbox.push({ ...event('payment', 'payment.authorized', 'o1'), id: 'another-id' });
    facts.inbox.push({ service: 'order', group: 'order', eventId: 'another-id', eventType: 'payment.authorized' });
    const dup = result(evaluateInvariants(facts), 'no-duplicates');
    expect(dup.ok).toBe(false);
    expect(dup.problems).toEqual(['2 payments for order o1', 'payment.authorized o1 emitted 2 times']);
  });

  it('allows several versions of one product but not a repeated order step', () => {
    const facts = healthy();
    facts.outbox.push({ ...event('catalog', 'catalog.product-upserted', A), id: 'v2' });
    facts.sourceTopicRecords++;
    facts.inbox.push({ service: 'order', group: 'order', eventId: 'v2', eventType: 'catalog.product-upserted' });
    expect(failing(facts)).toEqual([]);
    facts.orders[1].history = ['PENDING', 'AWAITING_PAYMENT', 'AWAITING_PAYMENT', 'CANCELLED'];
    expect(failing(facts)).toEqual(['no-duplicates', 'states-agree']);
  });

  it('reports an event missing from a subscriber’s inbox, naming it', () => {
    const facts = healthy();
    facts.inbox = facts.inbox.filter((i) => !(i.service === 'review' && i.eventType === 'order.delivered'));
    const lost = result(evaluateInvariants(facts), 'no-event-lost');
    expect(lost.ok).toBe(false);
    expect(lost.problems).toEqual(['review never processed 1 of 1 order.delivered (e.g. event order.delivered:o1, aggregate o1)']);
  });

  it('expects a consumer to process the version it reads, not a newer version published on its own topic', () => {
    const facts = healthy();
    // catalog publishes v2 beside v1 (its compatibility window); order reads v1 only.
    const v2 = { ...event('catalog', 'catalog.product-upserted', A, `t.${Topics.catalogProductsV2}`), id: 'v2:product-a' };
    facts.outbox.push(v2);
    facts.sourceTopicRecords += 1;
    expect(result(evaluateInvariants(facts), 'no-event-lost')).toMatchObject({ ok: true, problems: [] });
    // v1 still counts: the same product's v1 missing from order's inbox is reported.
    facts.inbox = facts.inbox.filter((i) => !(i.service === 'order' && i.eventId === 'catalog.product-upserted:product-a'));
    expect(result(evaluateInvariants(facts), 'no-event-lost').problems).toEqual([
      'order never processed 1 of 2 catalog.product-upserted (e.g. event catalog.product-upserted:product-a, aggregate product-a)',
    ]);
  });

  it('reports a cancellation missing from payment’s inbox, even where payment had nothing to refund', () => {
    const facts = healthy();
    facts.inbox = facts.inbox.filter((i) => !(i.service === 'payment' && i.eventType === 'order.cancelled'));
    expect(result(evaluateInvariants(facts), 'no-event-lost').problems).toEqual(['payment never processed 2 of 2 order.cancelled (e.g. event order.cancelled:o2, aggregate o2)']);
  });

  it('counts copies a crashed relay sent again, and reports published events missing from the topics', () => {
    const facts = healthy();
    facts.sourceTopicRecords += 4;
    const copies = result(evaluateInvariants(facts), 'no-event-lost');
    expect(copies.ok).toBe(true);
    expect(copies.counts).toMatch(/^21\/21 published \(\+4 re-sent copies\); /);
    facts.sourceTopicRecords = 19;
    expect(result(evaluateInvariants(facts), 'no-event-lost').problems).toEqual(['2 published event(s) are not on the topics (19 records for 21 published rows)']);
  });

  it('reports unpublished outbox rows per service', () => {
    const facts = healthy();
    facts.outbox = facts.outbox.map((e) => (e.type === 'delivery.scheduled' ? { ...e, published: false } : e));
    expect(result(evaluateInvariants(facts), 'no-event-lost').problems).toEqual(['delivery: 1 outbox row(s) never published']);
  });

  it('reports an inbox type the subscription table does not know', () => {
    const facts = healthy();
    facts.inbox.push({ service: 'review', group: 'review', eventId: 'x', eventType: 'order.shipped' });
    expect(result(evaluateInvariants(facts), 'no-event-lost').problems).toEqual(['review inbox holds order.shipped, a type missing from the SUBSCRIPTIONS table']);
  });

  it('reports a cancelled order whose payment was never refunded and whose stock is still held', () => {
    const facts = healthy();
    facts.orders[1] = { ...facts.orders[1], cancelReason: 'CUSTOMER_REQUEST', history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED'] };
    facts.payments[1].status = 'AUTHORIZED';
    facts.reservations[1].status = 'RESERVED';
    facts.deliveries.push({ orderId: 'o2', status: 'SCHEDULED' });
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual([
      'order o2 CANCELLED (CUSTOMER_REQUEST): payment still AUTHORIZED (never refunded)',
      'order o2 CANCELLED (CUSTOMER_REQUEST): stock still RESERVED (never released)',
      'order o2 CANCELLED (CUSTOMER_REQUEST): delivery still SCHEDULED',
    ]);
  });

  it('reports stock that does not reconcile to initial minus delivered quantities', () => {
    const facts = healthy();
    facts.products[0].stock = 96;
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual([`product ${A}: stock 96, expected 100 − 3 shipped = 97`]);
  });

  it('reports a delivered order without its delivery, payment or review grant', () => {
    const facts = healthy();
    facts.deliveries = [];
    facts.reviewGrants = [];
    facts.payments[0].status = 'REFUNDED';
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual([
      'order o1 DELIVERED: payment is REFUNDED, not AUTHORIZED',
      'order o1 DELIVERED: delivery is missing, not DELIVERED',
      `order o1 DELIVERED: no review grant for product ${A}`,
    ]);
  });

  it('reports an order cancelled (refunded, its stock counted back) whose parcel shipped anyway: two stories for one order', () => {
    const facts = healthy();
    facts.orders.push({ id: 'o4', status: 'CANCELLED', cancelReason: 'CUSTOMER_REQUEST', items: [{ productId: B, quantity: 1 }], history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED'] });
    facts.acceptedOrderIds.push('o4');
    facts.payments.push({ orderId: 'o4', status: 'REFUNDED' });
    facts.reservations.push({ orderId: 'o4', status: 'RELEASED' });
    facts.deliveries.push({ orderId: 'o4', status: 'DELIVERED' });
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual([
      'order o4 CANCELLED (CUSTOMER_REQUEST): cancelled, yet its parcel was delivered',
      `product ${B}: stock 10, expected 10 − 1 shipped = 9`,
    ]);
  });

  it('accepts a cancel that came too late: the order shipped, charged once, its stock gone', () => {
    const facts = healthy();
    facts.orders.push({ id: 'o4', status: 'DELIVERED', cancelReason: null, items: [{ productId: B, quantity: 1 }], history: ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'DELIVERED'] });
    facts.acceptedOrderIds.push('o4');
    facts.payments.push({ orderId: 'o4', status: 'AUTHORIZED' });
    facts.reservations.push({ orderId: 'o4', status: 'RESERVED' });
    facts.deliveries.push({ orderId: 'o4', status: 'DELIVERED' });
    facts.reviewGrants.push({ orderId: 'o4', productId: B });
    facts.products[1].stock = 9;
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual([]);
  });

  it('reports a cancelled order that had shipped, and steps out of order', () => {
    const facts = healthy();
    facts.orders[1].history = ['PENDING', 'CONFIRMED', 'CANCELLED'];
    facts.orders[2].history = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'SHIPPED', 'CANCELLED'];
    const problems = result(evaluateInvariants(facts), 'states-agree').problems;
    expect(problems).toContain('order o2 CANCELLED (PAYMENT_DECLINED): steps out of order: PENDING > CONFIRMED > CANCELLED');
    expect(problems).toContain('order o3 CANCELLED (OUT_OF_STOCK): cancelled after shipping: PENDING > AWAITING_PAYMENT > CONFIRMED > SHIPPED > CANCELLED');
  });

  it('reports rows for orders the order service does not have', () => {
    const facts = healthy();
    facts.deliveries.push({ orderId: 'ghost', status: 'SCHEDULED' });
    expect(result(evaluateInvariants(facts), 'states-agree').problems).toEqual(['delivery for unknown order ghost']);
  });

  it('reports records left in a retry tier', () => {
    const facts = healthy();
    facts.lag[1].lag = 4;
    const drained = result(evaluateInvariants(facts), 'retry-drained');
    expect(drained.ok).toBe(false);
    expect(drained.counts).toBe('retry lag 4 over 1 topic(s), source lag 0');
    expect(drained.problems).toEqual(['group t.payment.retry is 4 behind on t.order.orders.v1.t.payment.retry-1']);
  });

  it('fails on dead letters with their errors, unless the scenario expects that many', () => {
    const facts = healthy();
    facts.deadLetterTopics[0].count = 1;
    facts.deadLetters = [{ service: 'payment', eventType: 'order.awaiting-payment', eventId: 'e1', originalTopic: 't.order.orders.v1', error: 'boom', attempts: 4 }];
    const dead = result(evaluateInvariants(facts), 'dead-letters');
    expect(dead.ok).toBe(false);
    expect(dead.problems).toEqual([
      '1 dead letter(s), expected 0',
      't.order.orders.v1.t.payment.dlt: 1',
      'payment: order.awaiting-payment e1 from t.order.orders.v1 after 4 attempt(s): boom',
    ]);
    expect(result(evaluateInvariants(facts, { deadLetters: 1 }), 'dead-letters').ok).toBe(true);
  });
});
