import { Client } from 'pg';
import { TestPlatform } from '@shop/testing';
import { percentile } from './stats';

export interface SearchBenchResult {
  products: number;
  requests: number;
  /** The endpoint (full-text search, HTTP included), and the substring (ILIKE) list query it replaced, in SQL alone. */
  ftsHttpMs: { p50: number; p99: number };
  ilikeSqlMs: { p50: number; p99: number };
  loadSeconds: number;
}

const NOUNS = ['kettle', 'teapot', 'mug', 'lamp', 'chair', 'table', 'hose', 'rake', 'spade', 'blanket', 'pillow', 'towel', 'jar', 'bowl', 'knife', 'pan', 'shelf', 'basket', 'candle', 'clock'];
const ADJECTIVES = ['red', 'blue', 'green', 'oak', 'steel', 'glass', 'ceramic', 'linen', 'copper', 'bamboo', 'small', 'large', 'vintage', 'modern', 'rustic', 'folding', 'electric', 'woven', 'enamel', 'stone'];
const CATEGORIES = ['kitchen', 'garden', 'living-room', 'bedroom', 'bathroom', 'office', 'lighting', 'storage'];

/** What a shopper types: a common word, a rarer pair, a phrase with a filter, a SKU fragment. */
const SEARCHES = ['kettle', 'copper jar', 'oak', 'SKU-0012345', 'blanket', 'SKU-0009876'];

/** The list query before full-text search (as Prisma wrote it for `q`): ILIKE on name or SKU, newest first. */
const ILIKE = `select id, sku, name, description, price_cents, currency, stock, rating_count, rating_sum, created_at, updated_at
  from products where name ilike $1 or sku ilike $1 order by created_at desc, id desc limit 21`;

/**
 * Loads `products` products into a fresh catalog database (names from a small vocabulary, so a word matches
 * thousands of rows, as in a real catalog), then times each search of a fixed set through the endpoint
 * (`GET /api/products?q=`, the built catalog as its own process: full-text search) and, as the baseline, the
 * list query the catalog ran before full-text search, a case-insensitive substring match on name and SKU
 * (Prisma's `contains`/`insensitive`: ILIKE), newest first, page of 20, from a pg client, so without HTTP: the
 * ratio flatters the baseline, never the endpoint. Requests alternate between the two, one at a time.
 */
export async function searchBench(options: { products: number; requests: number }, log: (line: string) => void): Promise<SearchBenchResult> {
  const platform = await TestPlatform.start({ apps: ['catalog'] });
  const db = platform.db;
  const client = new Client({ connectionString: db.urlFor('catalog') });
  await client.connect();
  try {
    await client.query(`set search_path to ${db.schemaOf('catalog')}`);
    const started = Date.now();
    // As the database owner, with triggers off for this session: the change-sequence trigger (one clock row,
    // locked per change) would make the load take minutes; the numbers it would give are set here instead.
    const adminUrl = new URL(db.adminUrl);
    adminUrl.pathname = `/${db.dbName}`;
    const owner = new Client({ connectionString: adminUrl.toString() });
    await owner.connect();
    try {
      await owner.query(`set search_path to ${db.schemaOf('catalog')}`);
      await owner.query('set session_replication_role = replica');
      await owner.query(
        `insert into products (id, sku, name, description, price_cents, currency, stock, category, created_at, updated_at, change_seq, changed_at)
         select gen_random_uuid(), 'SKU-' || lpad(i::text, 7, '0'),
                initcap(($1::text[])[1 + (i * 7) % 20] || ' ' || ($2::text[])[1 + (i * 13) % 20] || ' ' || ($2::text[])[1 + (i * 3) % 20]),
                'A ' || ($1::text[])[1 + (i * 11) % 20] || ' ' || ($2::text[])[1 + i % 20] || ' for every home, made to last; pairs with the '
                  || ($2::text[])[1 + (i * 17) % 20] || ' range.',
                100 + (i * 7919) % 20000, 'EUR', 10, ($3::text[])[1 + i % 8],
                now() - make_interval(secs => i), now(), i, now()
           from generate_series(1, $4::int) as i`,
        [ADJECTIVES, NOUNS, CATEGORIES, options.products],
      );
      await owner.query(`update change_clock set seq = $1 where name = 'products'`, [options.products]);
    } finally {
      await owner.end();
    }
    await client.query('analyze products');
    const loadSeconds = (Date.now() - started) / 1000;
    log(`${options.products} products loaded in ${loadSeconds.toFixed(1)} s`);

    const timed = async (text: string, values: unknown[]) => {
      const t = process.hrtime.bigint();
      await client.query(text, values);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const url = platform.url('catalog');
    const search = async (q: string) => {
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/api/products?limit=20&q=${encodeURIComponent(q)}`);
      const page = (await res.json()) as { items: unknown[] };
      if (res.status !== 200 || page.items.length === 0) throw new Error(`bench: search for ${q} answered ${res.status} with ${page.items?.length} items`);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    // Warm both paths (plans, buffers, connections) before anything counts.
    for (const q of SEARCHES) {
      await search(q);
      await timed(ILIKE, [`%${q}%`]);
    }
    const http: number[] = [];
    const ilike: number[] = [];
    for (let i = 0; i < options.requests; i++) {
      const q = SEARCHES[i % SEARCHES.length];
      http.push(await search(q));
      ilike.push(await timed(ILIKE, [`%${q}%`]));
    }
    const p = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
    return { products: options.products, requests: options.requests, ftsHttpMs: p(http), ilikeSqlMs: p(ilike), loadSeconds };
  } finally {
    await client.end();
    await platform.stop();
  }
}
