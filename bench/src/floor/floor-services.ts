import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Topics } from '@shop/shared/contracts';
import { claim, FloorEvent, FloorRecord, FloorRuntime, FloorTx } from './floor-runtime';

/**
 * The five services of the floor: the same topics, tables and events as the
 * platform's, each step written as directly as the guarantees allow. One
 * process each, as the platform runs them.
 */
export const FLOOR_SERVICES = ['catalog', 'order', 'payment', 'delivery', 'review'] as const;
export type FloorService = (typeof FLOOR_SERVICES)[number];

type Data = Record<string, unknown>;
const str = (d: Data, k: string) => String(d[k]);

/** The order service: the intake over HTTP, and the order moved along by the others' replies. */
export async function startOrder(rt: FloorRuntime, port: number): Promise<void> {
  await rt.serve(port, async (req: IncomingMessage, res: ServerResponse, body: string) => {
    if (req.method !== 'POST' || req.url !== '/orders') return void res.writeHead(404).end();
    const input = JSON.parse(body) as { customerId: string; items: Array<{ productId: string; quantity: number }>; paymentToken: string; shippingAddress: Data };
    const ids = input.items.map((i) => i.productId);
    const snapshots = (await rt.pool.query<{ product_id: string; name: string; price_cents: number; currency: string }>(
      'select product_id, name, price_cents, currency from product_snapshots where product_id = any($1::uuid[])',
      [ids],
    )).rows;
    if (snapshots.length !== ids.length) return void res.writeHead(422).end();
    const price = new Map(snapshots.map((s) => [s.product_id, s]));
    const id = randomUUID();
    const total = input.items.reduce((sum, i) => sum + (price.get(i.productId)?.price_cents ?? 0) * i.quantity, 0);
    const currency = snapshots[0].currency;
    const event: FloorEvent = {
      topic: Topics.orderOrders,
      type: 'order.placed',
      key: id,
      aggregateVersion: 1,
      data: { orderId: id, customerId: input.customerId, items: input.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: price.get(i.productId)?.price_cents })), totalCents: total, currency },
    };
    const [row] = rt.rows([event]);
    const now = new Date();
    // The order, its items, its first history entry and its outbox row: one statement, committed on its own.
    const result = await rt.pool.query<{ seq: string }>(
      `with o as (insert into orders (id, customer_id, status, total_cents, currency, shipping_address, payment_token, version, created_at, updated_at)
                  values ($1, $2, 'PENDING', $3, $4, $5::jsonb, $6, 1, $7, $7)),
            i as (insert into order_items (order_id, product_id, name, unit_price_cents, quantity) select $1, * from unnest($8::uuid[], $9::text[], $10::int[], $11::int[])),
            h as (insert into order_status_history (order_id, status, at) values ($1, 'PENDING', $7))
       insert into outbox (id, topic, key, type, payload, headers) values ($12, $13, $1, 'order.placed', $14::jsonb, $15::jsonb) returning seq`,
      [
        id,
        input.customerId,
        total,
        currency,
        JSON.stringify(input.shippingAddress),
        input.paymentToken,
        now,
        ids,
        input.items.map((i) => price.get(i.productId)?.name),
        input.items.map((i) => price.get(i.productId)?.price_cents),
        input.items.map((i) => i.quantity),
        row.id,
        row.topic,
        row.payload,
        JSON.stringify(row.headers),
      ],
    );
    rt.enqueue([row], [result.rows[0].seq]);
    res.writeHead(202, { 'content-type': 'application/json', location: `/orders/${id}` }).end(JSON.stringify({ id, status: 'PENDING' }));
  });

  const transitions: Record<string, { from: string; to: string }> = {
    'catalog.stock-reserved': { from: 'PENDING', to: 'AWAITING_PAYMENT' },
    'catalog.stock-rejected': { from: 'PENDING', to: 'CANCELLED' },
    'payment.authorized': { from: 'AWAITING_PAYMENT', to: 'CONFIRMED' },
    'payment.declined': { from: 'AWAITING_PAYMENT', to: 'CANCELLED' },
    'delivery.dispatched': { from: 'CONFIRMED', to: 'SHIPPED' },
    'delivery.delivered': { from: 'SHIPPED', to: 'DELIVERED' },
  };
  await rt.consume('order', [Topics.catalogProducts, Topics.catalogReservations, Topics.paymentPayments, Topics.deliveryDeliveries], ['catalog.product-upserted', ...Object.keys(transitions)], (records) =>
    rt.unit(async (tx) => {
      const fresh = await claim(tx, rt.topic('order'), records);
      const mine = records.filter((r) => fresh.has(r.id));
      const products = mine.filter((r) => r.type === 'catalog.product-upserted');
      if (products.length) await upsertSnapshots(tx, products);
      const steps = mine.filter((r) => r.type !== 'catalog.product-upserted');
      if (steps.length === 0) return { result: undefined, events: [] };
      const orders = new Map(
        (
          await tx.query<{ id: string; status: string; customer_id: string; total_cents: string; currency: string; payment_token: string | null; shipping_address: Data; version: number; product_ids: string[] }>(
            `select id, status, customer_id, total_cents, currency, payment_token, shipping_address, version,
                    (select array_agg(product_id::text) from order_items i where i.order_id = o.id) as product_ids
               from orders o where id = any($1::uuid[]) order by id for update`,
            [[...new Set(steps.map((r) => str(r.data, 'orderId')))]],
          )
        ).map((o) => [o.id, o]),
      );
      const events: FloorEvent[] = [];
      const history: Array<{ id: string; status: string; at: Date }> = [];
      const now = new Date();
      for (const r of steps) {
        const order = orders.get(str(r.data, 'orderId'));
        const step = transitions[r.type];
        if (!order || order.status !== step.from) continue;
        order.status = step.to;
        order.version += 1;
        history.push({ id: order.id, status: step.to, at: now });
        const base = { topic: Topics.orderOrders, key: order.id, aggregateVersion: order.version };
        if (step.to === 'AWAITING_PAYMENT') {
          events.push({ ...base, type: 'order.awaiting-payment', data: { orderId: order.id, customerId: order.customer_id, amountCents: Number(order.total_cents), currency: order.currency, paymentToken: order.payment_token } });
        } else if (step.to === 'CONFIRMED') {
          order.payment_token = null;
          events.push({ ...base, type: 'order.confirmed', data: { orderId: order.id, customerId: order.customer_id, shippingAddress: order.shipping_address } });
        } else if (step.to === 'DELIVERED') {
          events.push({ ...base, type: 'order.delivered', data: { orderId: order.id, customerId: order.customer_id, productIds: order.product_ids } });
        } else if (step.to === 'CANCELLED') {
          events.push({ ...base, type: 'order.cancelled', data: { orderId: order.id, customerId: order.customer_id, reason: r.type === 'catalog.stock-rejected' ? 'OUT_OF_STOCK' : 'PAYMENT_DECLINED', previousStatus: step.from } });
        }
      }
      const changed = [...new Set(history.map((h) => h.id))].map((id) => orders.get(id) as NonNullable<ReturnType<typeof orders.get>>);
      if (changed.length) {
        void tx.query(
          `update orders o set status = v.status::"OrderStatus", version = v.version, payment_token = v.token, updated_at = now()
             from unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) v(id, status, version, token) where o.id = v.id`,
          [changed.map((o) => o.id), changed.map((o) => o.status), changed.map((o) => o.version), changed.map((o) => o.payment_token)],
        );
        void tx.query(`insert into order_status_history (order_id, status, at) select * from unnest($1::uuid[], $2::"OrderStatus"[], $3::timestamptz[])`, [
          history.map((h) => h.id),
          history.map((h) => h.status),
          history.map((h) => h.at),
        ]);
      }
      return { result: undefined, events };
    }),
  );
}

async function upsertSnapshots(tx: FloorTx, records: FloorRecord[]): Promise<void> {
  await tx.query(
    `insert into product_snapshots (product_id, sku, name, price_cents, currency, product_version, updated_at)
     select *, now() from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[])
     on conflict (product_id) do update set sku = excluded.sku, name = excluded.name, price_cents = excluded.price_cents,
       currency = excluded.currency, product_version = excluded.product_version, updated_at = now()
     where product_snapshots.product_version < excluded.product_version`,
    ['productId', 'sku', 'name', 'priceCents', 'currency', 'productVersion'].map((k) => records.map((r) => r.data[k])),
  );
}

/** The catalog: every item of an order reserved, or none; the stock rows of a batch locked once, in one order. */
export async function startCatalog(rt: FloorRuntime, port: number): Promise<void> {
  await rt.serve(port);
  await rt.consume('catalog', [Topics.orderOrders], ['order.placed'], (records) =>
    rt.unit(async (tx) => {
      const fresh = await claim(tx, rt.topic('catalog'), records);
      const orders = records.filter((r) => fresh.has(r.id));
      if (orders.length === 0) return { result: undefined, events: [] };
      const ids = [...new Set(orders.flatMap((o) => (o.data.items as Array<{ productId: string }>).map((i) => i.productId)))].sort();
      const stock = new Map(
        (await tx.query<{ id: string; stock: number }>('select id, stock from products where id = any($1::uuid[]) order by id for update', [ids])).map((p) => [p.id, p.stock]),
      );
      const events: FloorEvent[] = [];
      const reservations: Array<{ orderId: string; status: string; items: string }> = [];
      for (const o of orders) {
        const items = o.data.items as Array<{ productId: string; quantity: number }>;
        const orderId = str(o.data, 'orderId');
        const ok = items.every((i) => (stock.get(i.productId) ?? -1) >= i.quantity);
        if (ok) for (const i of items) stock.set(i.productId, (stock.get(i.productId) as number) - i.quantity);
        const simple = items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
        reservations.push({ orderId, status: ok ? 'RESERVED' : 'REJECTED', items: JSON.stringify(simple) });
        events.push(
          ok
            ? { topic: Topics.catalogReservations, type: 'catalog.stock-reserved', key: orderId, aggregateVersion: 1, data: { orderId, items: simple } }
            : { topic: Topics.catalogReservations, type: 'catalog.stock-rejected', key: orderId, aggregateVersion: 1, data: { orderId, reason: 'OUT_OF_STOCK', productIds: ids } },
        );
      }
      void tx.query(`update products p set stock = v.stock, version = p.version + 1 from unnest($1::uuid[], $2::int[]) v(id, stock) where p.id = v.id`, [
        [...stock.keys()],
        [...stock.values()],
      ]);
      void tx.query(`insert into stock_reservations (order_id, status, items) select * from unnest($1::uuid[], $2::"ReservationStatus"[], $3::jsonb[])`, [
        reservations.map((r) => r.orderId),
        reservations.map((r) => r.status),
        reservations.map((r) => r.items),
      ]);
      return { result: undefined, events };
    }),
  );
}

/**
 * The payment: the provider is asked outside any transaction, with the
 * order's guard noted first, as the platform does: one statement to note
 * the batch's guards, the provider's answers, then one unit to store them.
 */
export async function startPayment(rt: FloorRuntime, port: number): Promise<void> {
  await rt.serve(port);
  await rt.consume('payment', [Topics.orderOrders], ['order.awaiting-payment'], async (records) => {
    const orderIds = records.map((r) => str(r.data, 'orderId'));
    await rt.pool.query(
      `insert into order_guards (order_id, authorizing_at) select unnest($1::uuid[]), now() on conflict (order_id) do update set authorizing_at = coalesce(order_guards.authorizing_at, now())`,
      [orderIds],
    );
    // The simulated provider: a token starting with tok_decline is declined, any other approved.
    const decisions = records.map((r) => ({ record: r, approved: !str(r.data, 'paymentToken').startsWith('tok_decline') }));
    await rt.unit(async (tx) => {
      const fresh = await claim(tx, rt.topic('payment'), records);
      const mine = decisions.filter((d) => fresh.has(d.record.id));
      if (mine.length === 0) return { result: undefined, events: [] };
      const payments = mine.map(({ record, approved }) => ({ id: randomUUID(), orderId: str(record.data, 'orderId'), approved, data: record.data }));
      void tx.query(
        `insert into payments (id, order_id, customer_id, status, amount_cents, currency, provider_reference, decline_reason)
         select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::"PaymentStatus"[], $5::int[], $6::text[], $7::text[], $8::text[])`,
        [
          payments.map((p) => p.id),
          payments.map((p) => p.orderId),
          payments.map((p) => str(p.data, 'customerId')),
          payments.map((p) => (p.approved ? 'AUTHORIZED' : 'DECLINED')),
          payments.map((p) => p.data.amountCents),
          payments.map((p) => p.data.currency),
          payments.map((p) => (p.approved ? `sim_auth_${p.orderId}` : null)),
          payments.map((p) => (p.approved ? null : 'card_declined')),
        ],
      );
      const events: FloorEvent[] = payments.map((p) =>
        p.approved
          ? { topic: Topics.paymentPayments, type: 'payment.authorized', key: p.id, aggregateVersion: 1, data: { paymentId: p.id, orderId: p.orderId, amountCents: p.data.amountCents, currency: p.data.currency } }
          : { topic: Topics.paymentPayments, type: 'payment.declined', key: p.id, aggregateVersion: 1, data: { paymentId: p.id, orderId: p.orderId, reason: 'card_declined' } },
      );
      return { result: undefined, events };
    });
  });
}

/** The delivery: a confirmed order's delivery scheduled, then the courier's two steps at once (delays 0). */
export async function startDelivery(rt: FloorRuntime, port: number): Promise<void> {
  await rt.serve(port);
  let courierBusy = false;
  let courierAgain = false;
  const courier = async (): Promise<void> => {
    if (courierBusy) {
      courierAgain = true;
      return;
    }
    courierBusy = true;
    try {
      do {
        courierAgain = false;
        for (const [from, to, type] of [
          ['SCHEDULED', 'DISPATCHED', 'delivery.dispatched'],
          ['DISPATCHED', 'DELIVERED', 'delivery.delivered'],
        ] as const) {
          for (let moved = 20; moved === 20; ) {
            moved = await rt.unit(async (tx) => {
              const rows = await tx.query<{ id: string; order_id: string; version: number }>(
                `update deliveries d set status = $2::"DeliveryStatus", version = d.version + 1, updated_at = now(),
                        dispatched_at = case when $2 = 'DISPATCHED' then now() else d.dispatched_at end,
                        delivered_at = case when $2 = 'DELIVERED' then now() else d.delivered_at end
                   where d.id in (select id from deliveries where status = $1::"DeliveryStatus" order by updated_at limit 20 for update skip locked)
                 returning d.id, d.order_id, d.version`,
                [from, to],
              );
              return { result: rows.length, events: rows.map((r) => ({ topic: Topics.deliveryDeliveries, type, key: r.id, aggregateVersion: r.version, data: { deliveryId: r.id, orderId: r.order_id } })) };
            });
          }
        }
      } while (courierAgain);
    } finally {
      courierBusy = false;
    }
  };
  await rt.consume('delivery', [Topics.orderOrders], ['order.confirmed'], async (records) => {
    await rt.unit(async (tx) => {
      const fresh = await claim(tx, rt.topic('delivery'), records);
      const orders = records.filter((r) => fresh.has(r.id));
      if (orders.length === 0) return { result: undefined, events: [] };
      const ids = orders.map((o) => str(o.data, 'orderId'));
      // The guard (a cancel that came first would be marked here), then the deliveries, in one flight.
      const guards = await tx.query<{ order_id: string; cancelled: boolean }>(
        `insert into order_guards (order_id) select unnest($1::uuid[]) on conflict (order_id) do update set order_id = excluded.order_id returning order_id, cancelled_at is not null as cancelled`,
        [ids],
      );
      const cancelled = new Set(guards.filter((g) => g.cancelled).map((g) => g.order_id));
      const scheduled = orders.filter((o) => !cancelled.has(str(o.data, 'orderId'))).map((o) => ({ id: randomUUID(), o }));
      void tx.query(
        `insert into deliveries (id, order_id, customer_id, status, shipping_address, version)
         select v.id, v.order_id, v.customer_id, 'SCHEDULED', v.address, 1 from unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) v(id, order_id, customer_id, address)
         on conflict (order_id) do nothing`,
        [scheduled.map((s) => s.id), scheduled.map((s) => str(s.o.data, 'orderId')), scheduled.map((s) => str(s.o.data, 'customerId')), scheduled.map((s) => JSON.stringify(s.o.data.shippingAddress))],
      );
      return {
        result: undefined,
        events: scheduled.map((s) => ({ topic: Topics.deliveryDeliveries, type: 'delivery.scheduled', key: s.id, aggregateVersion: 1, data: { deliveryId: s.id, orderId: str(s.o.data, 'orderId') } })),
      };
    });
    void courier();
  });
}

/** The review service: a delivered order's products become reviewable by its customer. */
export async function startReview(rt: FloorRuntime, port: number): Promise<void> {
  await rt.serve(port);
  await rt.consume('review', [Topics.orderOrders], ['order.delivered'], (records) =>
    rt.unit(async (tx) => {
      const fresh = await claim(tx, rt.topic('review'), records);
      const grants = records.filter((r) => fresh.has(r.id)).flatMap((r) => (r.data.productIds as string[]).map((p) => ({ orderId: str(r.data, 'orderId'), productId: p, customerId: str(r.data, 'customerId') })));
      if (grants.length) {
        void tx.query(`insert into review_grants (order_id, product_id, customer_id) select * from unnest($1::uuid[], $2::uuid[], $3::text[]) on conflict do nothing`, [
          grants.map((g) => g.orderId),
          grants.map((g) => g.productId),
          grants.map((g) => g.customerId),
        ]);
      }
      return { result: undefined, events: [] };
    }),
  );
}

export const STARTERS: Record<FloorService, (rt: FloorRuntime, port: number) => Promise<void>> = {
  catalog: startCatalog,
  order: startOrder,
  payment: startPayment,
  delivery: startDelivery,
  review: startReview,
};

export const FLOOR_SCHEMAS: Record<FloorService, string> = { catalog: 'catalog', order: 'orders', payment: 'payments', delivery: 'deliveries', review: 'reviews' };

export { randomUUID };
