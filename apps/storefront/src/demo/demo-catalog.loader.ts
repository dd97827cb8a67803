import { DEMO_PRODUCTS, demoCategorySlug, type DemoProduct } from './demo-catalog.data';

/** What the loader found and did: `loaded` created products, `left-alone` found someone else's catalog. */
export type DemoLoadResult = { outcome: 'loaded'; created: number; alreadyThere: number } | { outcome: 'left-alone'; reason: string };

export class DemoCatalogError extends Error {}

/** The catalog's first page as the loader sees it: the SKUs on it, and whether more pages follow. */
export interface CatalogPage {
  skus: string[];
  more: boolean;
}

/**
 * Which demo products to create. An empty catalog gets all of them; one that
 * holds only demo products (a load cut short, or a rerun) gets the missing
 * ones; any other catalog is someone's real data and is left alone.
 */
export function planDemoLoad(page: CatalogPage, demo: readonly DemoProduct[] = DEMO_PRODUCTS): { create: DemoProduct[] } | { leaveAlone: string } {
  const demoSkus = new Set(demo.map((p) => p.sku));
  const foreign = page.skus.filter((sku) => !demoSkus.has(sku));
  if (page.more || foreign.length) return { leaveAlone: `the catalog already holds other products (${page.more ? 'more than a page' : foreign.length})` };
  const present = new Set(page.skus);
  return { create: demo.filter((p) => !present.has(p.sku)) };
}

export interface DemoLoaderOptions {
  gatewayUrl: string;
  log?: (line: string) => void;
  /** How long to wait for the gateway to be ready (compose starts this beside it). */
  readyTimeoutMs?: number;
  demo?: readonly DemoProduct[];
}

interface Answer {
  status: number;
  body: unknown;
  retryAfterS: number;
}

const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The problem+json detail of an error answer, or its status line. */
function why(answer: Answer): string {
  const body = answer.body as { detail?: unknown; title?: unknown } | null;
  return `${answer.status} ${typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : ''}`.trim();
}

/**
 * Loads the demo catalog through the gateway, as an operator would: an admin
 * token from the demo issuer, then `POST /api/products` for each product, so
 * the catalog writes its events and every read model fills as for any
 * product. Safe to run again: see planDemoLoad; a SKU created meanwhile by a
 * concurrent run (409) counts as there.
 */
export async function loadDemoCatalog(options: DemoLoaderOptions): Promise<DemoLoadResult> {
  const base = options.gatewayUrl.replace(/\/$/, '');
  const log = options.log ?? (() => undefined);

  async function call(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      const answer: Answer = { status: res.status, body: text ? JSON.parse(text) : null, retryAfterS: Number(res.headers.get('retry-after') ?? 1) || 1 };
      // The gateway's rate limit (one admin writing a catalog in a burst) and an open breaker say when to come back.
      if ((answer.status === 429 || answer.status === 503) && attempt < MAX_ATTEMPTS) {
        await sleep(Math.min(answer.retryAfterS, 5) * 1000);
        continue;
      }
      return answer;
    }
  }

  await waitForGateway(base, options.readyTimeoutMs ?? 60_000);
  const first = await call('GET', '/api/products?limit=100');
  if (first.status !== 200) throw new DemoCatalogError(`GET /api/products: ${why(first)}`);
  const listed = first.body as { items: Array<{ sku: string }>; nextCursor?: string | null };
  const plan = planDemoLoad({ skus: listed.items.map((p) => p.sku), more: Boolean(listed.nextCursor) }, options.demo);
  if ('leaveAlone' in plan) return { outcome: 'left-alone', reason: plan.leaveAlone };
  const alreadyThere = (options.demo ?? DEMO_PRODUCTS).length - plan.create.length;
  if (!plan.create.length) return { outcome: 'loaded', created: 0, alreadyThere };

  const issued = await call('POST', '/api/auth/token', { customerId: 'demo-catalog-loader', role: 'admin' });
  if (issued.status === 404) throw new DemoCatalogError("the gateway's demo token issuer is off (AUTH_DEMO_ISSUER): no admin token to load the demo catalog with");
  if (issued.status !== 200) throw new DemoCatalogError(`POST /api/auth/token: ${why(issued)}`);
  const token = (issued.body as { accessToken: string }).accessToken;

  let created = 0;
  let raced = 0;
  for (const p of plan.create) {
    const { sku, name, description, priceCents, currency, stock } = p;
    const category = demoCategorySlug(p.category);
    const answer = await call('POST', '/api/products', { sku, name, description, priceCents, currency, stock, category }, token);
    if (answer.status === 201) created++;
    else if (answer.status === 409) raced++;
    else throw new DemoCatalogError(`POST /api/products ${sku}: ${why(answer)} (${created} created before it)`);
  }
  log(`demo catalog: ${created} product(s) created${alreadyThere + raced ? `, ${alreadyThere + raced} already there` : ''}`);
  return { outcome: 'loaded', created, alreadyThere: alreadyThere + raced };
}

async function waitForGateway(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `health/ready answered ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(500);
  }
  throw new DemoCatalogError(`the gateway at ${base} was not ready within ${timeoutMs} ms (${last})`);
}
