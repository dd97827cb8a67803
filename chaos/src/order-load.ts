import { ADDRESS } from './chaos-fixtures';

export interface PlannedOrder {
  customer: string;
  items: Array<{ productId: string; quantity: number }>;
  paymentToken: string;
  /** The customer cancels it shortly after it was accepted. */
  cancel: boolean;
}

export interface OrderMix {
  /** Share of orders paid with a `tok_decline*` token (cancelled PAYMENT_DECLINED). */
  declineShare: number;
  /** Share of orders the customer cancels right after placing them. */
  cancelShare: number;
  /** Share of orders that also ask for the scarce product (some get OUT_OF_STOCK). */
  scarceShare: number;
  customers: number;
}

export const DEFAULT_MIX: OrderMix = { declineShare: 0.1, cancelShare: 0.03, scarceShare: 0.05, customers: 50 };

/** A small seeded generator (mulberry32): the same seed plans the same orders. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The orders of one run: one or two plentiful products, sometimes the scarce one, some declined, a few cancelled. */
export function planOrders(count: number, products: { plentiful: string[]; scarce: string }, seed: number, mix: OrderMix = DEFAULT_MIX): PlannedOrder[] {
  if (products.plentiful.length < 2) throw new Error('chaos: the load needs at least two plentiful products');
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const first = pick(products.plentiful);
    const ids = next() < 0.5 ? [first] : [first, pick(products.plentiful.filter((p) => p !== first))];
    if (next() < mix.scarceShare) ids.push(products.scarce);
    return {
      customer: `chaos-customer-${i % mix.customers}`,
      items: ids.map((productId) => ({ productId, quantity: 1 + Math.floor(next() * 3) })),
      paymentToken: next() < mix.declineShare ? 'tok_decline_chaos' : 'tok_chaos_ok',
      cancel: next() < mix.cancelShare,
    };
  });
}

export interface LoadResult {
  sent: number;
  acceptedOrderIds: string[];
  /** Answers other than 2xx (and connection errors), by kind: counted, not violations. */
  refused: Record<string, number>;
  /** The first answer body of each kind of refusal, to tell a planned 503 from a bug's 500. */
  samples: Record<string, string>;
  cancels: { sent: number; accepted: number; tooLate: number; refused: number };
  /** Checkouts that waited in the waiting room before becoming their order (or not: then a refusal). */
  tickets: number;
  durationMs: number;
}

function refusal(result: LoadResult, kind: string, body?: unknown): void {
  result.refused[kind] = (result.refused[kind] ?? 0) + 1;
  if (body === undefined || kind in result.samples) return;
  // A problem's detail says why (breaker open, bulkhead full, timeout); anything else is kept as it came.
  const detail = typeof body === 'object' && body !== null && 'detail' in body ? String((body as { detail: unknown }).detail) : undefined;
  result.samples[kind] = (detail ?? (typeof body === 'string' ? body : JSON.stringify(body))).slice(0, 300);
}

/** What a fault may cause: the gateway's 503 (down, breaker open, bulkhead full) and 504 (too slow), or no answer at all. */
export function expectedRefusal(kind: string): boolean {
  return ['HTTP 503', 'HTTP 504', 'connection error', 'timeout'].includes(kind);
}

/**
 * Places the planned orders through the gateway at a fixed rate, whatever
 * happens to the platform meanwhile: a request that fails is counted, never
 * retried. Cancels follow their order after `cancelAfterMs`.
 */
export class OrderLoad {
  private sentCount = 0;
  private readonly waiters: Array<{ n: number; resolve: () => void }> = [];
  private started = 0;

  constructor(
    private readonly gatewayUrl: string,
    private readonly tokens: Map<string, string>,
    private readonly plan: PlannedOrder[],
    private readonly options: { rate: number; cancelAfterMs?: number; timeoutMs?: number },
  ) {}

  get sent(): number {
    return this.sentCount;
  }

  /** Milliseconds since the load started. */
  elapsed(): number {
    return this.started ? Date.now() - this.started : 0;
  }

  /** Resolves once n orders have been sent (at once when the load is past that). */
  whenSent(n: number): Promise<void> {
    if (this.sentCount >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async run(): Promise<LoadResult> {
    const result: LoadResult = { sent: 0, acceptedOrderIds: [], refused: {}, samples: {}, cancels: { sent: 0, accepted: 0, tooLate: 0, refused: 0 }, tickets: 0, durationMs: 0 };
    const inFlight: Array<Promise<void>> = [];
    this.started = Date.now();
    const interval = 1000 / this.options.rate;
    for (let i = 0; i < this.plan.length; i++) {
      const due = this.started + i * interval;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(this.place(this.plan[i], result));
      this.sentCount = i + 1;
      result.sent = this.sentCount;
      for (const w of this.waiters.filter((w) => w.n <= this.sentCount)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    await Promise.all(inFlight);
    for (const w of this.waiters.splice(0)) w.resolve();
    result.durationMs = Date.now() - this.started;
    return result;
  }

  private async place(order: PlannedOrder, result: LoadResult): Promise<void> {
    const res = await this.post('/api/orders', order.customer, { items: order.items, paymentToken: order.paymentToken, shippingAddress: ADDRESS });
    if (typeof res === 'string') return refusal(result, res);
    if (res.status < 200 || res.status >= 300) return refusal(result, `HTTP ${res.status}`, res.body);
    const answer = res.body as { id?: string; ticketId?: string } | undefined;
    // The waiting room was open: the customer keeps the page open until the ticket becomes the order.
    const id = answer?.ticketId ? await this.waitInLine(answer.ticketId, order.customer, result) : answer?.id;
    if (answer?.ticketId && !id) return;
    if (!id) return refusal(result, `HTTP ${res.status} without an order id`, res.body);
    result.acceptedOrderIds.push(id);
    if (!order.cancel) return;
    await new Promise((r) => setTimeout(r, this.options.cancelAfterMs ?? 300));
    result.cancels.sent++;
    const cancel = await this.post(`/api/orders/${id}/cancel`, order.customer);
    if (typeof cancel !== 'string' && cancel.status === 202) result.cancels.accepted++;
    else if (typeof cancel !== 'string' && cancel.status === 409) result.cancels.tooLate++;
    else result.cancels.refused++;
  }

  /**
   * Follows a waiting-room ticket as the storefront's page does (when its Retry-After says; an unanswered look is
   * tried again a second later) until it is the order (its id) or ended without one (counted as a refusal).
   */
  private async waitInLine(ticketId: string, customer: string, result: LoadResult): Promise<string | undefined> {
    result.tickets++;
    for (;;) {
      const res = await this.send('GET', `/api/waiting-room/tickets/${ticketId}`, customer);
      const ticket = typeof res === 'string' || res.status !== 200 ? undefined : (res.body as { status: string; orderId?: string; retryAfterSeconds?: number });
      if (ticket?.status === 'ADMITTED' && ticket.orderId) return ticket.orderId;
      if (ticket && ticket.status !== 'WAITING') {
        refusal(result, `ticket ${ticket.status}`, res);
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 1000 * (ticket?.retryAfterSeconds ?? 1)));
    }
  }

  private post(path: string, customer: string, body?: unknown): Promise<{ status: number; body: unknown } | string> {
    return this.send('POST', path, customer, body);
  }

  /** The answer, or why there was none. */
  private async send(method: 'GET' | 'POST', path: string, customer: string, body?: unknown): Promise<{ status: number; body: unknown } | string> {
    const token = this.tokens.get(customer);
    try {
      const res = await fetch(`${this.gatewayUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection error';
    }
  }
}
