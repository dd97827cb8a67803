import { parseArgs } from 'node:util';

/** What one simulated visitor does, in the gateway's public contract. */
export const ACTIONS = ['list', 'search', 'product', 'reviews', 'order', 'follow', 'review'] as const;
export type ActionName = (typeof ACTIONS)[number];
export type Mix = Record<ActionName, number>;

/** Mostly browsing, some ordering, customers checking their orders and reviewing what arrived. */
export const DEFAULT_MIX: Mix = { list: 3, search: 1, product: 4, reviews: 2, order: 1, follow: 2, review: 0.5 };

/** Bounds that keep the generator from becoming a tool against anything but the local stack. */
export const LIMITS = {
  maxDurationSeconds: 3_600,
  maxRate: 20_000,
  maxRequests: 5_000_000,
  maxCustomers: 10_000,
  maxProducts: 5_000,
  maxConnections: 1_024,
  maxDrainSeconds: 600,
} as const;

export interface LoadOptions {
  /** Origin of the gateway, e.g. http://127.0.0.1:3000. */
  target: string;
  /** Actions started per second, whatever the mix (open loop: a slow answer does not slow the offer). */
  rate: number;
  durationSeconds: number;
  mix: Mix;
  customers: number;
  /** Products to create when the catalog is empty, or always with `seed`. */
  products: number;
  seed: boolean;
  stock: number;
  /** Requests in flight at most; an action due beyond that is dropped and counted. */
  connections: number;
  /** Hard stop after this many requests, whatever the duration. */
  maxRequests: number;
  /** After the run, how long to keep following orders until they reach a terminal status. */
  drainSeconds: number;
  /** Share of orders paid with a token the simulated provider declines. */
  declineShare: number;
  json: boolean;
  quiet: boolean;
}

export const DEFAULT_OPTIONS: LoadOptions = {
  target: 'http://127.0.0.1:3000',
  rate: 50,
  durationSeconds: 30,
  mix: DEFAULT_MIX,
  customers: 10,
  products: 20,
  seed: false,
  stock: 1_000_000,
  connections: 128,
  maxRequests: 1_000_000,
  drainSeconds: 30,
  declineShare: 0.02,
  json: false,
  quiet: false,
};

export class LoadOptionsError extends Error {
  override readonly name = 'LoadOptionsError';
}

export const USAGE = `usage: npm run load -- [options]
  --target <url>             gateway origin; only 127.0.0.1, localhost or [::1] (LOAD_TARGET, default ${DEFAULT_OPTIONS.target})
  --rate <n>                 actions started per second (LOAD_RATE, default ${DEFAULT_OPTIONS.rate})
  --orders-per-second <n>    alternatively: the rate that gives this many orders per second with the mix (LOAD_ORDERS_PER_SECOND)
  --duration <time>          e.g. 30, 30s, 2m; at most ${LIMITS.maxDurationSeconds} s (LOAD_DURATION, default ${DEFAULT_OPTIONS.durationSeconds}s)
  --mix <weights>            e.g. list=3,search=1,product=4,reviews=2,order=1,follow=2,review=0.5 (LOAD_MIX);
                             actions not named keep their default weight, 0 turns one off
  --customers <n>            customers with their own demo token (LOAD_CUSTOMERS, default ${DEFAULT_OPTIONS.customers})
  --products <n>             products to create when the catalog is empty (LOAD_PRODUCTS, default ${DEFAULT_OPTIONS.products})
  --seed                     create them even when the catalog is not empty (LOAD_SEED=1)
  --stock <n>                stock of each created product (default ${DEFAULT_OPTIONS.stock})
  --connections <n>          requests in flight at most (default ${DEFAULT_OPTIONS.connections})
  --max-requests <n>         stop after this many requests (default ${DEFAULT_OPTIONS.maxRequests}, at most ${LIMITS.maxRequests})
  --drain <time>             follow open orders this long after the run (default ${DEFAULT_OPTIONS.drainSeconds}s, 0: not at all)
  --decline-share <0..1>     share of orders paid with a declined token (default ${DEFAULT_OPTIONS.declineShare})
  --json                     print the summary as JSON
  --quiet                    no progress line
  --help`;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The target's origin, or an error for anything that is not this machine's loopback. */
export function localTarget(value: string): string {
  let url: URL;
  try {
    // `127.0.0.1:3000` means http, as curl reads it.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new LoadOptionsError(`--target: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LoadOptionsError(`--target: only http or https, not ${url.protocol}`);
  if (!LOCAL_HOSTS.has(url.hostname)) {
    throw new LoadOptionsError(`--target: refusing ${url.hostname}: load is only generated against this machine (127.0.0.1, localhost or [::1])`);
  }
  if (url.username || url.password) throw new LoadOptionsError('--target: no credentials in the URL');
  return url.origin;
}

/** Seconds from `30`, `30s`, `2m` or `1h`. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new LoadOptionsError(`${flag}: not a duration: ${value} (e.g. 30, 30s, 2m)`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3_600 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function parseNumber(value: string, flag: string, min: number, max: number, integer = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new LoadOptionsError(`${flag}: not a number: ${value}`);
  if (integer && !Number.isInteger(n)) throw new LoadOptionsError(`${flag}: must be a whole number, not ${value}`);
  if (n < min || n > max) throw new LoadOptionsError(`${flag}: must be between ${min} and ${max}, not ${value}`);
  return n;
}

/** `order=1,list=3`: the named weights replace the defaults; at least one must be above 0. */
export function parseMix(value: string, base: Mix = DEFAULT_MIX): Mix {
  const mix: Mix = { ...base };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, weight, ...rest] = part.split('=');
    if (!(ACTIONS as readonly string[]).includes(name) || weight === undefined || rest.length) {
      throw new LoadOptionsError(`--mix: ${part}: expected <action>=<weight>, actions: ${ACTIONS.join(', ')}`);
    }
    mix[name as ActionName] = parseNumber(weight, `--mix ${name}`, 0, 1_000_000);
  }
  if (!ACTIONS.some((a) => mix[a] > 0)) throw new LoadOptionsError('--mix: every weight is 0');
  return mix;
}

const ENV: Record<string, string> = {
  target: 'LOAD_TARGET',
  rate: 'LOAD_RATE',
  'orders-per-second': 'LOAD_ORDERS_PER_SECOND',
  duration: 'LOAD_DURATION',
  mix: 'LOAD_MIX',
  customers: 'LOAD_CUSTOMERS',
  products: 'LOAD_PRODUCTS',
};

/**
 * Flags first, then LOAD_* variables, then the defaults. Anything unknown,
 * out of bounds or aimed at another machine is refused with one line.
 */
export function parseLoadOptions(argv: string[], env: NodeJS.ProcessEnv = {}): LoadOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new LoadOptionsError((err as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) return 'help';
  if (parsed.positionals.length) throw new LoadOptionsError(`unexpected argument: ${parsed.positionals[0]}`);
  const pick = (name: string): string | undefined => (v[name] as string | undefined) ?? (ENV[name] ? env[ENV[name]] : undefined);
  const flag = (name: string) => `--${name}`;

  const options: LoadOptions = { ...DEFAULT_OPTIONS };
  const target = pick('target');
  options.target = localTarget(target ?? DEFAULT_OPTIONS.target);
  const mix = pick('mix');
  if (mix !== undefined) options.mix = parseMix(mix);
  const duration = pick('duration');
  if (duration !== undefined) options.durationSeconds = parseDuration(duration, flag('duration'));
  if (options.durationSeconds <= 0 || options.durationSeconds > LIMITS.maxDurationSeconds) {
    throw new LoadOptionsError(`--duration: must be above 0 and at most ${LIMITS.maxDurationSeconds} s`);
  }
  const rate = pick('rate');
  const ordersPerSecond = pick('orders-per-second');
  if (rate !== undefined && ordersPerSecond !== undefined) throw new LoadOptionsError('give --rate or --orders-per-second, not both');
  if (rate !== undefined) options.rate = parseNumber(rate, flag('rate'), 0.1, LIMITS.maxRate);
  if (ordersPerSecond !== undefined) {
    const orders = parseNumber(ordersPerSecond, flag('orders-per-second'), 0.1, LIMITS.maxRate);
    if (options.mix.order <= 0) throw new LoadOptionsError('--orders-per-second: the mix places no orders (order=0)');
    options.rate = orders / orderShare(options.mix);
    if (options.rate > LIMITS.maxRate) throw new LoadOptionsError(`--orders-per-second: the mix would need ${Math.round(options.rate)} actions/s, more than ${LIMITS.maxRate}`);
  }
  const customers = pick('customers');
  if (customers !== undefined) options.customers = parseNumber(customers, flag('customers'), 1, LIMITS.maxCustomers, true);
  const products = pick('products');
  if (products !== undefined) options.products = parseNumber(products, flag('products'), 1, LIMITS.maxProducts, true);
  options.seed = v.seed === true || env.LOAD_SEED === '1' || env.LOAD_SEED === 'true';
  if (v.stock !== undefined) options.stock = parseNumber(v.stock as string, flag('stock'), 1, 1_000_000_000, true);
  if (v.connections !== undefined) options.connections = parseNumber(v.connections as string, flag('connections'), 1, LIMITS.maxConnections, true);
  if (v['max-requests'] !== undefined) options.maxRequests = parseNumber(v['max-requests'] as string, flag('max-requests'), 1, LIMITS.maxRequests, true);
  if (v.drain !== undefined) options.drainSeconds = parseDuration(v.drain as string, flag('drain'));
  if (options.drainSeconds > LIMITS.maxDrainSeconds) throw new LoadOptionsError(`--drain: at most ${LIMITS.maxDrainSeconds} s`);
  if (v['decline-share'] !== undefined) options.declineShare = parseNumber(v['decline-share'] as string, flag('decline-share'), 0, 1);
  options.json = v.json === true;
  options.quiet = v.quiet === true;
  return options;
}

/** The share of actions that place an order. */
export function orderShare(mix: Mix): number {
  const total = ACTIONS.reduce((sum, a) => sum + mix[a], 0);
  return total > 0 ? mix.order / total : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      rate: { type: 'string' },
      'orders-per-second': { type: 'string' },
      duration: { type: 'string' },
      mix: { type: 'string' },
      customers: { type: 'string' },
      products: { type: 'string' },
      seed: { type: 'boolean' },
      stock: { type: 'string' },
      connections: { type: 'string' },
      'max-requests': { type: 'string' },
      drain: { type: 'string' },
      'decline-share': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
