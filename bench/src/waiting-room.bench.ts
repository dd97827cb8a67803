import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { WaitingRoomView } from '@shop/shared/contracts';
import { tokenFor } from '@shop/testing';
import { BenchPlatform } from './bench-platform';
import { ShopClient, seedProducts } from './load';
import { percentile, round } from './stats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

export interface WaitingRoomBenchOptions {
  /**
   * How each run finds the sustainable rate on the machine as it is then (a fixed rate is three times the
   * platform's capacity on one day and within it on another): steps of stepSeconds with the room held closed,
   * from startRate, each `factor` times the last, up to maxRate; the sustainable rate is the last step whose
   * placed → CONFIRMED p99 kept within keepUpMs (every order confirmed without a noticeable wait).
   */
  calibration: { startRate: number; factor: number; stepSeconds: number; maxRate: number; keepUpMs: number };
  sustainableSeconds: number;
  /** The spike: this many times the sustainable rate, for spikeSeconds. */
  spikeMultiple: number;
  spikeSeconds: number;
  /** Share of the customers given a ticket who close the page at once (their tickets must expire). */
  abandonShare: number;
}

/**
 * One run: its phases, the sustainable rate it found (with each calibration step's p99), and the room's target
 * it set from the sustainable phase (WAITING_ROOM_TARGET_MS: placed → confirmed p90, that phase's p90).
 */
export interface WaitingRoomRun {
  phases: PhaseResult[];
  sustainableRate: number;
  calibration: Array<{ rate: number; p99Ms: number }>;
  targetMs: number;
}

/** What one phase's checkouts came to. */
export interface PhaseResult {
  phase: 'calibration' | 'sustainable' | 'spike without the room' | 'spike with the room';
  rate: number;
  seconds: number;
  checkouts: number;
  /** Answered other than 202 (or not at all). */
  refused: number;
  /** Why, by kind (HTTP status, or the error of a call that got no answer). */
  refusals: Record<string, number>;
  /** Placed at once (the room closed), and given a ticket. */
  direct: number;
  tickets: number;
  /** The room's openings seen in the phase (from the admin view, sampled each second). */
  roomOpenSeconds: number;
  /** The admin view each second, from the phase's start until its last ticket ended: how the room moved. */
  timeline: RoomSample[];
  /** Placed → CONFIRMED (the order's creation to its CONFIRMED history entry, both the order service's clock), every order of the phase. */
  confirmMs: number[];
  /** The same, only for orders that came through a ticket. */
  confirmFromTicketMs: number[];
  /** Tickets: how each ended. */
  ticketEnds: Record<string, number>;
  /** Admitted tickets: when issued (seconds into the phase), the wait promised then and the real one (issued → admitted), in seconds. */
  waits: Array<{ issued: number; estimate: number; real: number }>;
  /** Every order of the phase that reached DELIVERED or CANCELLED, of all; and what could not be accounted for. */
  terminal: number;
  orders: number;
  problems: string[];
}

export interface RoomSample {
  /** Seconds into the phase. */
  t: number;
  open: boolean;
  waiting: number;
  admitRate: number;
  admittedPerSecond: number;
  completedPerSecond: number;
  confirmP90Ms: number | null;
}

interface Checkout {
  orderId?: string;
  ticketId?: string;
  refused?: string;
}

/**
 * A flash sale on the whole platform (five services, the gateway): the
 * sustainable rate found first (see calibration) and held for a while (the
 * baseline), then a spike of several times that rate, both with the waiting
 * room held closed by an operator (today's behaviour without it), then the
 * same spike with the room deciding by itself, its target set to the
 * baseline's p90 (what the shop gives at its sustainable rate). Every
 * checkout is a different customer, who follows a ticket as the storefront
 * does (when its Retry-After says), except a share who close the page at once.
 */
export async function waitingRoomBench(options: WaitingRoomBenchOptions, log: (line: string) => void): Promise<WaitingRoomRun> {
  const bench = await BenchPlatform.start({ instantCourier: true, waitingRoom: 'closed' });
  const client = new ShopClient(bench.gatewayUrl, 8);
  const orderDb = new Client({ connectionString: bench.platform.db.urlFor('order') });
  const others = { payment: bench.platform.db.urlFor('payment'), catalog: bench.platform.db.urlFor('catalog') };
  await orderDb.connect();
  try {
    const admin = await tokenFor('bench-ops', 'admin');
    const seedCustomer = { id: 'bench-seed', token: await tokenFor('bench-seed') };
    const products = await seedProducts(client, 4, 1_000_000, seedCustomer);
    const stockBefore = await stock(others.catalog);
    const setRoom = (mode: 'auto' | 'closed') => bench.setWaitingRoom(mode);
    const roomView = async () => {
      const res = await fetch(`${bench.gatewayUrl}/api/admin/waiting-room`, { headers: { authorization: `Bearer ${admin}` } });
      return (await res.json()) as WaitingRoomView;
    };
    let customerSeq = 0;
    const phase = async (name: PhaseResult['phase'], rate: number, seconds: number): Promise<PhaseResult> => {
      const count = Math.round(rate * seconds);
      const tokens = await Promise.all(Array.from({ length: count }, () => tokenFor(`sale-${++customerSeq}-${randomUUID().slice(0, 6)}`)));
      const timeline: RoomSample[] = [];
      const started = Date.now();
      const sample = (view: WaitingRoomView) =>
        timeline.push({
          t: round((Date.now() - started) / 1000, 1),
          open: view.open,
          waiting: view.waiting,
          admitRate: round(view.admitRate, 1),
          admittedPerSecond: view.admittedPerSecond,
          completedPerSecond: view.completedPerSecond,
          confirmP90Ms: view.confirmP90Seconds === null ? null : Math.round(view.confirmP90Seconds * 1000),
        });
      const watch = setInterval(() => void roomView().then(sample, () => undefined), 1_000);
      const checkouts: Array<Promise<Checkout>> = [];
      let done: Checkout[];
      try {
        for (let i = 0; i < count; i++) {
          const wait = started + (i * 1000) / rate - Date.now();
          if (wait > 0) await sleep(wait);
          const product = products[i % products.length];
          const abandons = options.abandonShare > 0 && i % Math.round(1 / options.abandonShare) === 0;
          checkouts.push(checkout(bench.gatewayUrl, tokens[i], product.id, abandons));
        }
        done = await Promise.all(checkouts);
      } finally {
        clearInterval(watch);
      }
      log(`${name}: ${count} checkouts at ${rate}/s in ${round((Date.now() - started) / 1000, 1)} s (tickets followed to their end)`);
      return measure(name, rate, seconds, done, timeline, new Date(started));
    };

    const measure = async (name: PhaseResult['phase'], rate: number, seconds: number, done: Checkout[], timeline: RoomSample[], started: Date): Promise<PhaseResult> => {
      const problems: string[] = [];
      const ticketIds = done.filter((c) => c.ticketId).map((c) => c.ticketId as string);
      // How each ticket ended, from the line itself: a customer who closed the page may still have been admitted
      // before the ticket's TTL ran out (their order is placed, as if they had waited), or it expired.
      const { rows: tickets } = await orderDb.query<{ status: string; order_id: string | null; issued: number; estimate: number; real: number | null }>(
        `select status, order_id, extract(epoch from created_at - $2::timestamptz)::float8 as issued, estimated_wait_seconds as estimate,
                extract(epoch from ended_at - created_at)::float8 as real
           from waiting_room_tickets where id = any($1::uuid[]) order by seq`,
        [ticketIds, started],
      );
      if (tickets.length !== ticketIds.length) problems.push(`${ticketIds.length - tickets.length} tickets missing`);
      const ticketEnds: Record<string, number> = {};
      for (const t of tickets) ticketEnds[t.status] = (ticketEnds[t.status] ?? 0) + 1;
      if (ticketEnds.WAITING) problems.push(`${ticketEnds.WAITING} tickets still waiting`);
      const admittedWithoutOrder = tickets.filter((t) => t.status === 'ADMITTED' && !t.order_id).length;
      if (admittedWithoutOrder) problems.push(`${admittedWithoutOrder} admitted tickets without an order`);
      const endedWithOrder = tickets.filter((t) => t.status !== 'ADMITTED' && t.order_id).length;
      if (endedWithOrder) problems.push(`${endedWithOrder} tickets ended without admission but with an order`);
      const seenWrong = done.filter((c) => c.ticketId && c.orderId && !tickets.some((t) => t.order_id === c.orderId)).length;
      if (seenWrong) problems.push(`${seenWrong} customers were shown an order their ticket does not name`);
      const fromTicket = new Set(tickets.filter((t) => t.status === 'ADMITTED' && t.order_id).map((t) => t.order_id as string));
      const orderIds = [...done.filter((c) => c.orderId && !c.ticketId).map((c) => c.orderId as string), ...fromTicket];
      // Settle: every order of the phase terminal (instant courier), or two minutes.
      const deadline = Date.now() + 120_000;
      let terminal = 0;
      for (;;) {
        const { rows } = await orderDb.query<{ n: number }>(`select count(*)::int as n from orders where id = any($1::uuid[]) and status in ('DELIVERED', 'CANCELLED')`, [orderIds]);
        terminal = rows[0].n;
        if (terminal === orderIds.length || Date.now() > deadline) break;
        await sleep(1_000);
      }
      if (terminal !== orderIds.length) problems.push(`${orderIds.length - terminal} orders not terminal two minutes after the phase`);
      const { rows: confirms } = await orderDb.query<{ id: string; ms: number | string | null }>(
        `select o.id, extract(epoch from h.at - o.created_at) * 1000 as ms from orders o
           left join order_status_history h on h.order_id = o.id and h.status = 'CONFIRMED' where o.id = any($1::uuid[])`,
        [orderIds],
      );
      if (confirms.length !== orderIds.length) problems.push(`${orderIds.length - confirms.length} accepted orders missing from the order service`);
      const ms = (r: { ms: number | string | null }) => (r.ms === null ? Number.POSITIVE_INFINITY : Number(r.ms));
      return {
        phase: name,
        rate,
        seconds,
        checkouts: done.length,
        refused: done.filter((c) => c.refused).length,
        refusals: done.reduce<Record<string, number>>((kinds, c) => (c.refused ? { ...kinds, [c.refused]: (kinds[c.refused] ?? 0) + 1 } : kinds), {}),
        direct: done.filter((c) => c.orderId && !c.ticketId).length,
        tickets: ticketIds.length,
        roomOpenSeconds: timeline.filter((x) => x.open).length,
        timeline,
        confirmMs: confirms.map(ms),
        confirmFromTicketMs: confirms.filter((r) => fromTicket.has(r.id)).map(ms),
        ticketEnds,
        waits: tickets.filter((t) => t.status === 'ADMITTED' && t.real !== null).map((t) => ({ issued: round(t.issued, 2), estimate: t.estimate, real: t.real as number })),
        terminal,
        orders: orderIds.length,
        problems,
      };
    };

    const quiet = () => sleep(10_000);
    const results: PhaseResult[] = [];
    // The baseline is today's platform at its sustainable rate: every checkout placed at once.
    await setRoom('closed');
    const c = options.calibration;
    const calibration: WaitingRoomRun['calibration'] = [];
    let sustainableRate = 0;
    for (let rate = c.startRate; rate <= c.maxRate; rate = Math.round(rate * c.factor)) {
      const step = await phase('calibration', rate, c.stepSeconds);
      const p99Ms = Math.round(percentile(step.confirmMs, 99));
      calibration.push({ rate, p99Ms });
      if (p99Ms > c.keepUpMs || step.refused > 0 || step.problems.length > 0) break;
      sustainableRate = rate;
      await sleep(3_000);
    }
    if (sustainableRate === 0) throw new Error(`bench: not even ${c.startRate} orders/s kept placed → confirmed p99 within ${c.keepUpMs} ms`);
    log(`sustainable rate ${sustainableRate}/s (${calibration.map((x) => `${x.rate}/s: p99 ${x.p99Ms} ms`).join(', ')})`);
    await quiet();
    results.push(await phase('sustainable', sustainableRate, options.sustainableSeconds));
    // The room holds admitted orders to what the shop gives at its sustainable rate: its target is a p90, that rate's p90.
    const targetMs = Math.max(10, Math.round(percentile(results[0].confirmMs, 90)));
    await bench.platform.stopApp('order');
    await bench.platform.startApp('order', { WAITING_ROOM_TARGET_MS: String(targetMs) });
    log(`the room's target set to ${targetMs} ms (the sustainable rate's p90); order service restarted`);
    await quiet();
    const spikeRate = sustainableRate * options.spikeMultiple;
    results.push(await phase('spike without the room', spikeRate, options.spikeSeconds));
    await quiet();
    await setRoom('auto');
    results.push(await phase('spike with the room', spikeRate, options.spikeSeconds));
    // Nothing charged twice, nothing sold beyond stock, across all phases.
    const paymentProblems = await chargedTwice(others.payment);
    const stockAfter = await stock(others.catalog);
    const { rows: kept } = await orderDb.query<{ product_id: string; n: number }>(
      `select i.product_id, sum(i.quantity)::int as n from order_items i join orders o on o.id = i.order_id where o.status <> 'CANCELLED' group by i.product_id`,
    );
    const stockProblems = kept
      .filter((k) => (stockBefore.get(k.product_id) ?? 0) - (stockAfter.get(k.product_id) ?? 0) !== k.n)
      .map((k) => `product ${k.product_id}: stock went down by ${(stockBefore.get(k.product_id) ?? 0) - (stockAfter.get(k.product_id) ?? 0)}, orders kept ${k.n}`);
    results[results.length - 1].problems.push(...paymentProblems, ...stockProblems);
    return { phases: results, sustainableRate, calibration, targetMs };
  } finally {
    await orderDb.end();
    await client.close();
    await bench.stop();
  }
}

/** One customer's checkout: the order at once, or a ticket followed (when Retry-After says) until it ends. */
async function checkout(gateway: string, token: string, productId: string, abandons: boolean): Promise<Checkout> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  let res: Response;
  try {
    res = await fetch(`${gateway}/api/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ items: [{ productId, quantity: 1 }], paymentToken: 'tok_visa', shippingAddress: ADDRESS }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    return { refused: (err as Error).name };
  }
  const body = (await res.json().catch(() => undefined)) as { id?: string; ticketId?: string } | undefined;
  if (res.status !== 202 || !body) return { refused: `HTTP ${res.status}` };
  if (!body.ticketId) return { orderId: body.id };
  if (abandons) return { ticketId: body.ticketId };
  for (;;) {
    await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
    try {
      res = await fetch(`${gateway}/api/waiting-room/tickets/${body.ticketId}`, { headers: { authorization: headers.authorization }, signal: AbortSignal.timeout(30_000) });
    } catch {
      continue;
    }
    if (res.status !== 200) continue; // a busy gateway's 503: look again
    const ticket = (await res.json()) as { status: string; orderId?: string };
    if (ticket.status === 'WAITING') continue;
    return { ticketId: body.ticketId, orderId: ticket.orderId };
  }
}

async function stock(url: string): Promise<Map<string, number>> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; stock: number }>('select id, stock from products');
    return new Map(rows.map((r) => [r.id, r.stock]));
  } finally {
    await db.end();
  }
}

async function chargedTwice(url: string): Promise<string[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ order_id: string; n: number }>('select order_id, count(*)::int as n from payments group by order_id having count(*) > 1');
    return rows.map((r) => `order ${r.order_id} has ${r.n} payments`);
  } finally {
    await db.end();
  }
}

/** p90 of |estimate − real| / max(real, 1 s): estimates are whole seconds, so a wait under a second counts as one. */
export function estimateErrorP90(waits: Array<{ estimate: number; real: number }>): number {
  return percentile(
    waits.map((w) => Math.abs(w.estimate - w.real) / Math.max(w.real, 1)),
    90,
  );
}

/** The estimate against the real wait by when the tickets were issued (equal slices of the admitted tickets, in line order). */
export function estimateByIssue(waits: Array<{ issued: number; estimate: number; real: number }>, slices = 6) {
  const sorted = [...waits].sort((a, b) => a.issued - b.issued);
  return Array.from({ length: slices }, (_, i) => sorted.slice(Math.floor((i * sorted.length) / slices), Math.floor(((i + 1) * sorted.length) / slices)))
    .filter((slice) => slice.length > 0)
    .map((slice) => ({
      issuedFrom: round(slice[0].issued, 1),
      issuedTo: round(slice[slice.length - 1].issued, 1),
      tickets: slice.length,
      estimateP50: percentile(slice.map((w) => w.estimate), 50),
      realP50: round(percentile(slice.map((w) => w.real), 50), 1),
      errorP90: round(estimateErrorP90(slice), 2),
    }));
}
