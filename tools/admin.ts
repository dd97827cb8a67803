/**
 * Operator commands against a running service (npm start, or --url):
 *   npm run dlq -- list --service order [--limit 100]
 *   npm run dlq -- replay --service order [--id <id> ...]
 *   npm run rebuild -- --service order|catalog [--source topic|api] [--since <ISO time>]
 * They call the service's admin routes with an admin token signed by the
 * local stack's secret (`.local/jwt-secret`, or $JWT_SECRET).
 */
import { SignJWT } from 'jose';
import { APPS, localJwtSecret } from './apps';

/** The command line: the words, every --id, and the other options by name. */
interface Args {
  _: string[];
  id: string[];
  service?: string;
  url?: string;
  limit?: string;
  source?: string;
  since?: string;
  [option: string]: string | string[] | undefined;
}

function parse(argv: readonly string[]): Args {
  const args: Args = { _: [], id: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const name = a.slice(2);
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      if (name === 'id') args.id.push(value);
      else args[name] = value;
      i++;
    } else args._.push(a);
  }
  return args;
}

async function adminToken(): Promise<string> {
  return new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('operator-cli')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(localJwtSecret()));
}

/** What the admin routes answer with, as far as the commands read it. */
interface AdminAnswer {
  detail?: string;
  items: Array<{ id: string; eventType?: string; eventId?: string; attempts: number; deadLetteredAt: string; error: string }>;
  replayed: number;
  fetched: number;
  updated: number;
  nextCursor?: string | null;
  products?: number;
}

async function call(base: string, method: string, path: string, body?: object): Promise<AdminAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await adminToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as AdminAnswer;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.detail ?? text}`);
  return json;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const args = parse(rest);
  // Only the services own dead letters, outboxes and read models; the gateway has none.
  const services = APPS.filter((a) => a.database);
  const app = services.find((a) => a.name === args.service);
  if (!app && !args.url) throw new Error(`--service must be one of ${services.map((a) => a.name).join(', ')}`);
  const base = args.url || `http://127.0.0.1:${app?.port}`;

  if (command === 'list') {
    const { items } = await call(base, 'GET', `/admin/dlq?limit=${Number(args.limit || 100)}`);
    for (const d of items) console.log(`${d.id}  ${d.eventType ?? '?'}  ${d.eventId ?? '?'}  attempts=${d.attempts}  ${d.deadLetteredAt}  ${d.error}`);
    console.log(`${items.length} dead letter(s)`);
  } else if (command === 'replay') {
    if (args.id.length) {
      const { replayed } = await call(base, 'POST', '/admin/dlq/replay', { ids: args.id });
      console.log(`replayed ${replayed} of ${args.id.length}`);
      return;
    }
    // The whole queue, in steps, with a progress line.
    let total = 0;
    const started = Date.now();
    for (;;) {
      const { replayed } = await call(base, 'POST', '/admin/dlq/replay', { limit: 5_000 });
      if (replayed === 0) break;
      total += replayed;
      const rate = Math.round(total / ((Date.now() - started) / 1000));
      process.stdout.write(`\rreplayed ${total} (${rate}/s)`);
    }
    process.stdout.write(`${total ? '\n' : ''}replayed ${total} dead letter(s) in total\n`);
  } else if (command === 'rebuild') {
    const models: Record<string, string> = { order: 'product-snapshots', catalog: 'ratings' };
    const model = models[args.service ?? ''];
    if (!model) throw new Error('rebuild: --service order (product snapshots) or catalog (ratings)');
    const source = args.source ?? 'topic';
    if (source !== 'topic' && source !== 'api') throw new Error('rebuild: --source topic (the owner\'s topic) or api (the owner\'s export)');
    if (args.since !== undefined && (source !== 'api' || Number.isNaN(Date.parse(args.since)))) {
      throw new Error('rebuild: --since takes an ISO time (2026-11-30T08:00:00Z) and goes with --source api');
    }
    const path = `/admin/read-models/${model}/rebuild`;
    if (source === 'topic') {
      console.log(JSON.stringify(await call(base, 'POST', path, { source })));
      return;
    }
    // The export in steps (each a few seconds on the service), with a progress line.
    const total = { fetched: 0, updated: 0 };
    const started = Date.now();
    let cursor: string | undefined;
    let last: AdminAnswer;
    do {
      last = await call(base, 'POST', path, { source, ...(args.since ? { since: args.since } : {}), ...(cursor ? { cursor } : {}) });
      total.fetched += last.fetched;
      total.updated += last.updated;
      cursor = last.nextCursor ?? undefined;
      const rate = Math.round(total.fetched / Math.max((Date.now() - started) / 1000, 0.001));
      process.stdout.write(`\rimported ${total.fetched} from ${args.service === 'order' ? 'catalog' : 'review'} (${rate}/s), ${total.updated} updated`);
    } while (cursor);
    const products = last.products === undefined ? '' : `, ${last.products} rating(s) recomputed`;
    process.stdout.write(`\nimport done: ${total.fetched} fetched, ${total.updated} updated${products}\n`);
  } else {
    throw new Error('usage: dlq list|replay --service <name> [--id <id> ...] | rebuild --service order|catalog [--source topic|api] [--since <ISO time>]');
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${String(err.message).split('\n')[0]}\n`);
  process.exit(1);
});
