import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ProblemException } from '../problem/problem-details.filter';
import { importExport, OwnerExportClient } from './owner-export';

const pageSchema = z.object({ items: z.array(z.object({ n: z.number() })), nextCursor: z.string().nullable() });

/** A real HTTP server standing in for an owner: `answer` decides each response. */
async function owner(answer: (url: URL, req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => answer(new URL(req.url ?? '/', 'http://x'), req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The problem document a rejected call carries. */
const problemOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: ProblemException) => err.getResponse(),
  );

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('reading an owner’s export', () => {
  const servers: Server[] = [];
  afterAll(async () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const client = async (answer: Parameters<typeof owner>[0], token = async () => 'tok') => {
    const { url, server } = await owner(answer);
    servers.push(server);
    return new OwnerExportClient({ owner: 'catalog', baseUrl: url, path: '/api/exports/things', schema: pageSchema, token, timeoutMs: 1_000 });
  };

  it('pages through the export with the token, the since and each cursor, applying each page before reading the next', async () => {
    const asked: Array<Record<string, string>> = [];
    const c = await client((url, req, res) => {
      asked.push({ ...Object.fromEntries(url.searchParams), auth: String(req.headers.authorization) });
      const at = Number(url.searchParams.get('cursor') ?? 0);
      json(res, 200, { items: [{ n: at }, { n: at + 1 }], nextCursor: at < 4 ? String(at + 2) : null });
    });
    const applied: number[][] = [];
    const result = await importExport(c, { since: '2026-11-30T08:00:00Z' }, async (items) => {
      applied.push(items.map((i) => i.n));
      return 1;
    }, { pageSize: 2 });
    expect(result).toEqual({ fetched: 6, updated: 3, nextCursor: null });
    expect(applied).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(asked).toEqual([
      { limit: '2', updatedSince: '2026-11-30T08:00:00Z', auth: 'Bearer tok' },
      { limit: '2', updatedSince: '2026-11-30T08:00:00Z', cursor: '2', auth: 'Bearer tok' },
      { limit: '2', updatedSince: '2026-11-30T08:00:00Z', cursor: '4', auth: 'Bearer tok' },
    ]);
  });

  it('stops after its time budget with the cursor to go on from', async () => {
    const c = await client((_url, _req, res) => setTimeout(() => json(res, 200, { items: [{ n: 1 }], nextCursor: 'more' }), 30));
    const result = await importExport(c, {}, async () => 0, { budgetMs: 50 });
    expect(result.nextCursor).toBe('more');
    expect(result.fetched).toBeGreaterThanOrEqual(1);
    expect(result.fetched).toBeLessThan(5);
  });

  it('is a 502 when the owner refuses, answers another shape or is not there, and applies nothing of that page', async () => {
    const refusing = await client((_u, _r, res) => json(res, 403, { detail: 'this needs the admin or service role' }));
    expect(await problemOf(refusing.page({ limit: 10 }))).toMatchObject({ status: 502, detail: "catalog's export answered 403: this needs the admin or service role" });
    const odd = await client((_u, _r, res) => json(res, 200, { rows: [] }));
    let applied = 0;
    expect(await problemOf(importExport(odd, {}, async () => ++applied))).toMatchObject({ status: 502, detail: expect.stringContaining('a page of another shape') });
    expect(applied).toBe(0);
    const gone = new OwnerExportClient({ owner: 'catalog', baseUrl: 'http://127.0.0.1:9', path: '/x', schema: pageSchema, token: async () => 't' });
    expect(await problemOf(gone.page({ limit: 1 }))).toMatchObject({ status: 502, detail: expect.stringContaining("catalog's export could not be reached") });
  });

  it('is a 503 and calls nobody when no token can be signed', async () => {
    let called = false;
    const c = await client((_u, _r, res) => {
      called = true;
      json(res, 200, { items: [], nextCursor: null });
    }, async () => {
      throw new Error('order cannot sign a service token: set JWT_SECRET');
    });
    expect(await problemOf(c.page({ limit: 1 }))).toMatchObject({ status: 503, detail: 'cannot import from catalog: order cannot sign a service token: set JWT_SECRET' });
    expect(called).toBe(false);
  });
});
