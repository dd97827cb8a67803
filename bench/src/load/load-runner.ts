import { randomUUID } from 'node:crypto';
import type { OrderView, ProductView } from '@shop/shared/contracts';
import { ActionSummary, LoadStats, WindowSummary } from './latency-stats';
import { ACTIONS, ActionName, LoadOptions } from './load-options';
import { pickWeighted, RateScheduler } from './rate-scheduler';
import { Answer, ShopClient } from './shop-client';

export interface Progress extends WindowSummary {
  elapsedSeconds: number;
  phase: 'load' | 'drain';
  requests: number;
  totalErrors: number;
  totalRefused: number;
  inFlight: number;
  dropped: number;
  placed: number;
  terminal: number;
}

export interface PlacedOrder {
  id: string;
  customerId: string;
  /** Epoch ms when the POST's answer had arrived. */
  respondedAt: number;
}

export interface LoadHooks {
  log?: (line: string) => void;
  /** Once a second. */
  progress?: (progress: Progress) => void;
  onOrderPlaced?: (order: PlacedOrder) => void;
  /** Aborting stops issuing actions and skips the drain; the summary still comes. */
  signal?: AbortSignal;
}

export interface OrdersSummary {
  placed: number;
  /** Orders that reached DELIVERED or CANCELLED while followed, by status (cancelled ones also by reason). */
  terminal: Record<string, number>;
  /** Orders not seen in a terminal status, by the last status seen. */
  open: Record<string, number>;
  /**
   * Checkouts answered with a waiting-room ticket (the room was open). The load does not wait in line: it goes on
   * at its rate, and those tickets expire (docs/waiting-room.md); the waiting-room bench follows them instead.
   */
  tickets: number;
}

export interface LoadSummary {
  target: string;
  startedAt: string;
  /** Seconds of the load phase (without the drain). */
  loadSeconds: number;
  drainSeconds: number;
  offeredRate: number;
  /** Answers per second during the load phase. */
  achievedRate: number;
  requests: number;
  errors: number;
  /** Answers that said "not now" (429, 503 with Retry-After): the gateway shedding load as designed. */
  refused: number;
  /** Actions not sent because their customer was still waiting out a Retry-After, as a storefront would. */
  heldBack: number;
  /** Actions that came due while `connections` requests were in flight: the target was not keeping up. */
  dropped: number;
  seededProducts: number;
  actions: Partial<Record<ActionName, ActionSummary>>;
  orders: OrdersSummary;
  reviewsPosted: number;
}

interface TrackedOrder {
  id: string;
  customer: Customer;
  productIds: string[];
  status: string;
  /** Epoch ms of its next look, and the wait that set it: paced as the storefront's order page polls. */
  nextAt: number;
  waitMs: number;
}

interface Customer {
  id: string;
  token: string;
  /** Epoch ms until which the gateway asked this customer to wait (Retry-After). */
  blockedUntil?: number;
}

/**
 * How the storefront's order page polls an order: a second after a change,
 * then 1.5 times longer each time nothing changed, up to five seconds.
 */
const FOLLOW_BASE_MS = 1_000;
const FOLLOW_MAX_MS = 5_000;
const FOLLOW_FACTOR = 1.5;

const TERMINAL = new Set(['DELIVERED', 'CANCELLED']);
/** The review service learns of a delivery from an event; give it a moment before reviewing. */
const REVIEW_AFTER_MS = 2_000;

const ADJECTIVES = ['steel', 'oak', 'linen', 'copper', 'ceramic', 'wool', 'glass', 'bamboo', 'cast-iron', 'cotton'];
const NOUNS = ['kettle', 'lamp', 'chair', 'mug', 'blanket', 'teapot', 'shelf', 'vase', 'skillet', 'towel', 'clock', 'bowl'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Products the load can order, newest first as the storefront lists them (at most 500). */
async function readCatalog(client: ShopClient): Promise<ProductView[]> {
  const products: ProductView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const answer = await client.listProducts({ limit: 100, cursor });
    if (!answer.ok || !answer.body) throw new Error(`GET /api/products: ${answer.outcome}`);
    products.push(...answer.body.items);
    if (!answer.body.nextCursor) break;
    cursor = answer.body.nextCursor;
  }
  return products;
}

/**
 * Creates products as an admin through the gateway, then waits until the
 * order service's own snapshot (fed by catalog events) accepts them all: one
 * probe order holding every new product (50 per order, the contract's limit).
 */
export async function seedProducts(
  client: ShopClient,
  count: number,
  stock: number,
  probeCustomer: Customer,
  log: (line: string) => void = () => undefined,
): Promise<ProductView[]> {
  const admin = await client.token(`load-admin`, 'admin');
  const run = randomUUID().slice(0, 8);
  const created: ProductView[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, (_, j) => {
        const n = i + j;
        const name = `${ADJECTIVES[n % ADJECTIVES.length]} ${NOUNS[Math.floor(n / ADJECTIVES.length) % NOUNS.length]}`;
        return client.createProduct(admin, {
          sku: `LOAD-${run}-${n}`,
          name: `${name[0].toUpperCase()}${name.slice(1)} ${n}`,
          description: `A ${name} made for load tests.`,
          priceCents: 199 + ((n * 7_919) % 9_800),
          stock,
        });
      }),
    );
    for (const answer of batch) {
      if (!answer.ok || !answer.body) throw new Error(`POST /api/products: ${answer.outcome} ${JSON.stringify(answer.body ?? '')}`);
      created.push(answer.body);
    }
  }
  log(`created ${created.length} products with stock ${stock}`);
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < created.length; i += 50) {
    const items = created.slice(i, i + 50).map((p) => ({ productId: p.id, quantity: 1 }));
    for (;;) {
      const answer = await client.placeOrder(probeCustomer.token, items, 'tok_visa');
      if (answer.ok) break;
      // 422 "unknown product": the order service has not seen the catalog event yet.
      if (answer.outcome !== 422 || Date.now() > deadline) {
        throw new Error(`the order service did not accept the new products: POST /api/orders ${answer.outcome} ${JSON.stringify(answer.body ?? '')}`);
      }
      await sleep(250);
    }
  }
  log('the order service knows every new product');
  return created;
}

/** Demo tokens for `count` customers, `load-customer-<i>`. */
export async function customerTokens(client: ShopClient, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i += 16) {
    const ids = Array.from({ length: Math.min(16, count - i) }, (_, j) => `load-customer-${i + j + 1}`);
    const tokens = await Promise.all(ids.map((id) => client.token(id, 'customer')));
    ids.forEach((id, j) => customers.push({ id, token: tokens[j] }));
  }
  return customers;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Drives a storefront's traffic through the gateway at a fixed rate for a
 * while: browsing, placing orders, following them until they end, and
 * reviewing what was delivered. Then follows the open orders for up to
 * `drainSeconds`, and returns what it saw.
 */
export async function runLoad(options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadSummary> {
  const log = hooks.log ?? (() => undefined);
  const client = new ShopClient(options.target, options.connections);
  try {
    if (!(await client.ready())) throw new Error(`nothing ready at ${options.target}/health/ready (start the platform with npm start)`);
    const customers = await customerTokens(client, options.customers);
    let products = await readCatalog(client);
    let seeded = 0;
    if (options.seed || products.length === 0) {
      const created = await seedProducts(client, options.products, options.stock, customers[0], log);
      seeded = created.length;
      products = [...created, ...products];
    }
    const orderable = products.filter((p) => p.stock > 0);
    if (orderable.length === 0 && options.mix.order > 0) throw new Error('no product in the catalog has stock; run with --seed');
    const words = [...new Set(products.flatMap((p) => p.name.toLowerCase().split(/\s+/)).filter((w) => w.length > 2 && !/^\d+$/.test(w)))];
    return await new LoadRun(client, options, hooks, log, customers, products, orderable, words, seeded).run();
  } finally {
    await client.close();
  }
}

class LoadRun {
  private readonly stats: LoadStats;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly toFollow: TrackedOrder[] = [];
  private readonly reviewable: Array<{ customer: Customer; orderId: string; productId: string; eligibleAt: number }> = [];
  private readonly orders: OrdersSummary = { placed: 0, terminal: {}, open: {}, tickets: 0 };
  private readonly tracked = new Map<string, TrackedOrder>();
  private readonly weights: number[];
  private dropped = 0;
  private heldBack = 0;
  private reviewsPosted = 0;
  private secondPage?: string;
  private phase: Progress['phase'] = 'load';
  private readonly startedMs = performance.now();

  constructor(
    private readonly client: ShopClient,
    private readonly options: LoadOptions,
    private readonly hooks: LoadHooks,
    private readonly log: (line: string) => void,
    private readonly customers: Customer[],
    private readonly products: ProductView[],
    private readonly orderable: ProductView[],
    private readonly words: string[],
    private readonly seeded: number,
  ) {
    this.stats = new LoadStats(this.startedMs);
    this.weights = ACTIONS.map((a) => options.mix[a]);
  }

  async run(): Promise<LoadSummary> {
    const startedAt = new Date().toISOString();
    const ticker = setInterval(() => this.report(), 1_000);
    ticker.unref();
    const endAt = this.startedMs + this.options.durationSeconds * 1000;
    const scheduler = new RateScheduler(this.options.rate, this.startedMs, this.options.maxRequests);
    try {
      while (!this.hooks.signal?.aborted) {
        const now = performance.now();
        if (now >= endAt) break;
        const due = scheduler.take(now);
        for (let i = 0; i < due; i++) this.launch();
        const next = scheduler.nextDueMs();
        if (!Number.isFinite(next)) break;
        await sleep(Math.max(0, Math.min(next, endAt) - performance.now()));
      }
      await Promise.all(this.inFlight);
      const loadSeconds = (performance.now() - this.startedMs) / 1000;
      const requestsInLoad = this.stats.requests;
      const drainStarted = performance.now();
      if (this.options.drainSeconds > 0 && !this.hooks.signal?.aborted) await this.drain();
      this.report();
      return this.summary(startedAt, loadSeconds, requestsInLoad / loadSeconds, (performance.now() - drainStarted) / 1000);
    } finally {
      clearInterval(ticker);
    }
  }

  private launch(): void {
    if (this.inFlight.size >= this.options.connections) {
      this.dropped++;
      return;
    }
    const action = ACTIONS[pickWeighted(this.weights, Math.random())];
    const task = this.act(action).catch((err) => this.log(`${action}: ${(err as Error).message}`));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private record(action: ActionName, answer: Answer, customer?: Customer): void {
    this.stats.record(action, answer.outcome, answer.ms, answer.ok, answer.refused);
    // A customer told to wait waits, as the storefront does: nothing more of theirs until Retry-After has passed.
    if (customer && answer.refused) customer.blockedUntil = Date.now() + (answer.retryAfterMs ?? 1_000);
  }

  /** A customer free to act now, or none when the few picked all still wait out a Retry-After. */
  private readyCustomer(): Customer | undefined {
    for (let tries = 0; tries < 5; tries++) {
      const customer = this.any(this.customers);
      if ((customer.blockedUntil ?? 0) <= Date.now()) return customer;
    }
    this.heldBack++;
    return undefined;
  }

  /** The order whose next look is due (and whose customer may act), taken off the queue; none when nothing is due. */
  private dueOrder(): TrackedOrder | undefined {
    const now = Date.now();
    const i = this.toFollow.findIndex((o) => o.nextAt <= now && (o.customer.blockedUntil ?? 0) <= now);
    return i === -1 ? undefined : this.toFollow.splice(i, 1)[0];
  }

  private any<T>(items: T[]): T {
    return items[Math.floor(Math.random() * items.length)];
  }

  private async act(action: ActionName): Promise<void> {
    switch (action) {
      case 'list': {
        const page2 = this.secondPage && Math.random() < 0.3;
        const answer = await this.client.listProducts({ limit: 20, cursor: page2 ? this.secondPage : undefined });
        if (!page2 && answer.body?.nextCursor) this.secondPage = answer.body.nextCursor;
        return this.record(action, answer);
      }
      case 'search':
        if (this.words.length === 0) return this.act('list');
        return this.record(action, await this.client.listProducts({ q: this.any(this.words), limit: 20 }));
      case 'product':
        return this.record(action, await this.client.product(this.any(this.products).id));
      case 'reviews':
        return this.record(action, await this.client.reviews(this.any(this.products).id));
      case 'order':
        return this.placeOrder();
      case 'follow': {
        const order = this.dueOrder();
        if (!order) return this.act('product');
        return this.follow(order);
      }
      case 'review': {
        const head = this.reviewable[0];
        if (!head || head.eligibleAt > Date.now() || (head.customer.blockedUntil ?? 0) > Date.now()) return this.act('product');
        this.reviewable.shift();
        const answer = await this.client.review(head.customer.token, head.productId, head.orderId, 1 + Math.floor(Math.random() * 5));
        if (answer.ok) this.reviewsPosted++;
        return this.record(action, answer, head.customer);
      }
    }
  }

  private async placeOrder(): Promise<void> {
    const customer = this.readyCustomer();
    if (!customer) return;
    const lines = Math.min(this.orderable.length, 1 + Math.floor(Math.random() * 3));
    const picked = new Map<string, number>();
    while (picked.size < lines) picked.set(this.any(this.orderable).id, 1 + Math.floor(Math.random() * 2));
    const items = [...picked].map(([productId, quantity]) => ({ productId, quantity }));
    const paymentToken = Math.random() < this.options.declineShare ? 'tok_decline_load' : 'tok_visa';
    const answer = await this.client.placeOrder(customer.token, items, paymentToken);
    this.record('order', answer, customer);
    if (answer.ok && answer.body && 'ticketId' in answer.body) this.orders.tickets++;
    if (!answer.ok || !answer.body?.id) return;
    this.orders.placed++;
    const order: TrackedOrder = {
      id: answer.body.id,
      customer,
      productIds: items.map((i) => i.productId),
      status: answer.body.status,
      nextAt: Date.now() + FOLLOW_BASE_MS,
      waitMs: FOLLOW_BASE_MS,
    };
    this.tracked.set(order.id, order);
    this.toFollow.push(order);
    this.hooks.onOrderPlaced?.({ id: order.id, customerId: customer.id, respondedAt: answer.at });
  }

  private async follow(order: TrackedOrder): Promise<void> {
    const answer = await this.client.order(order.customer.token, order.id);
    this.record('follow', answer, order.customer);
    const view = answer.body as OrderView | undefined;
    if (!answer.ok || !view?.status) {
      order.nextAt = Date.now() + (answer.retryAfterMs ?? order.waitMs);
      this.toFollow.push(order);
      return;
    }
    const changed = view.status !== order.status;
    order.status = view.status;
    if (!TERMINAL.has(view.status)) {
      order.waitMs = changed ? FOLLOW_BASE_MS : Math.min(FOLLOW_MAX_MS, Math.round(order.waitMs * FOLLOW_FACTOR));
      order.nextAt = Date.now() + order.waitMs;
      this.toFollow.push(order);
      return;
    }
    this.tracked.delete(order.id);
    bump(this.orders.terminal, view.status === 'CANCELLED' ? `CANCELLED (${view.cancelReason ?? 'no reason'})` : view.status);
    if (view.status === 'DELIVERED') {
      for (const productId of order.productIds) this.reviewable.push({ customer: order.customer, orderId: order.id, productId, eligibleAt: Date.now() + REVIEW_AFTER_MS });
    }
  }

  /**
   * Follows every open order, each at its own pace (as the storefront's page
   * polls it, waiting out any Retry-After), until all ended, the time is up,
   * or the count cap is reached; reviews what was delivered.
   */
  private async drain(): Promise<void> {
    this.phase = 'drain';
    const deadline = performance.now() + this.options.drainSeconds * 1000;
    const pending = () => this.toFollow.length > 0 || (this.options.mix.review > 0 && this.reviewable.length > 0);
    while (pending() && performance.now() < deadline && !this.hooks.signal?.aborted && this.stats.requests < this.options.maxRequests) {
      const due: TrackedOrder[] = [];
      for (let order = this.dueOrder(); order; order = this.dueOrder()) due.push(order);
      for (let i = 0; i < due.length; i += this.options.connections) {
        await Promise.all(due.slice(i, i + this.options.connections).map((o) => this.follow(o)));
      }
      // Customers whose parcel arrived still review it, as they would during the run.
      if (this.options.mix.review > 0) {
        while (this.reviewable.length && this.reviewable[0].eligibleAt <= Date.now() && (this.reviewable[0].customer.blockedUntil ?? 0) <= Date.now()) {
          await this.act('review');
        }
      }
      const next = Math.min(...this.toFollow.map((o) => Math.max(o.nextAt, o.customer.blockedUntil ?? 0)), Date.now() + 1_000);
      await sleep(Math.max(10, next - Date.now()));
    }
  }

  private report(): void {
    const window = this.stats.window(performance.now());
    this.hooks.progress?.({
      ...window,
      elapsedSeconds: (performance.now() - this.startedMs) / 1000,
      phase: this.phase,
      requests: this.stats.requests,
      totalErrors: this.stats.errors,
      totalRefused: this.stats.refusals,
      inFlight: this.inFlight.size,
      dropped: this.dropped,
      placed: this.orders.placed,
      terminal: Object.values(this.orders.terminal).reduce((a, b) => a + b, 0),
    });
  }

  private summary(startedAt: string, loadSeconds: number, achievedRate: number, drainSeconds: number): LoadSummary {
    const open: Record<string, number> = {};
    for (const order of this.tracked.values()) bump(open, order.status);
    return {
      target: this.options.target,
      startedAt,
      loadSeconds,
      drainSeconds,
      offeredRate: this.options.rate,
      achievedRate,
      requests: this.stats.requests,
      errors: this.stats.errors,
      refused: this.stats.refusals,
      heldBack: this.heldBack,
      dropped: this.dropped,
      seededProducts: this.seeded,
      actions: this.stats.summary() as LoadSummary['actions'],
      orders: { ...this.orders, open },
      reviewsPosted: this.reviewsPosted,
    };
  }
}
