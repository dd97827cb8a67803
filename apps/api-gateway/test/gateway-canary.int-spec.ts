import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_JWT_SECRET, tokenFor } from '@shop/testing';
import type { ReleaseView } from '../src/releases/release.schemas';
import { UPSTREAM_NAMES, UpstreamName } from '../src/upstreams/upstreams';
import { RecordingUpstream, startGateway } from './in-process-gateway';

/**
 * A canary beside the payment service's stable instance, set through the
 * gateway's admin routes as the release tool sets it: its share of the calls,
 * its own breaker (a failing canary opens its own, never the stable one's,
 * and its share goes back to the stable instance), and the report the
 * console reads. The whole release, with real services, is e2e/releases.
 */
describe('api-gateway canary routing (in-process, recording upstreams)', () => {
  const upstreams = Object.fromEntries(UPSTREAM_NAMES.map((name) => [name, new RecordingUpstream(name)])) as Record<UpstreamName, RecordingUpstream>;
  const canary = new RecordingUpstream('payment canary');
  let app: NestFastifyApplication;
  let url: string;
  let canaryUrl: string;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    const env: Record<string, string> = { JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', RATE_LIMIT_READ_BURST: '10000', RATE_LIMIT_WRITE_BURST: '10000', BREAKER_CONSECUTIVE_FAILURES: '3' };
    for (const name of UPSTREAM_NAMES) env[`${name.toUpperCase()}_URL`] = await upstreams[name].start();
    canaryUrl = await canary.start();
    ({ app, url } = await startGateway(env));
    admin = await tokenFor('release-tool', 'admin');
    customer = await tokenFor('carol');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([...Object.values(upstreams), canary].map((u) => u.stop()));
  });

  const send = async <T = unknown>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T; type: string | null }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T, type: res.headers.get('content-type') };
  };
  const payments = async (n: number) => {
    for (let i = 0; i < n; i++) await send('GET', `/api/payments?orderId=${randomUUID()}`, customer);
  };
  const release = async () => (await send<{ releases: ReleaseView[] }>('GET', '/api/admin/releases', admin)).body.releases.find((r) => r.upstream === 'payment') as ReleaseView;

  it('lets only an admin set a canary, and refuses one it cannot use', async () => {
    const body = { url: canaryUrl, weight: 25, version: 'abc123def456' };
    expect((await send('PUT', '/api/admin/releases/payment/canary', undefined, body)).status).toBe(401);
    expect((await send('PUT', '/api/admin/releases/payment/canary', customer, body)).status).toBe(403);
    const bad = await send<{ detail: string }>('PUT', '/api/admin/releases/payment/canary', admin, { url: 'ftp://x', weight: 150, version: 'v 1' });
    expect([bad.status, bad.type]).toEqual([400, expect.stringMatching(/^application\/problem\+json/)]);
    expect(bad.body.detail).toMatch(/url.*weight.*version/s);
    expect((await send('PUT', '/api/admin/releases/wishlist/canary', admin, body)).status).toBe(400);
  });

  it("sends the canary exactly its share of the service's calls, the rest to the stable instance", async () => {
    const set = await send<ReleaseView>('PUT', '/api/admin/releases/payment/canary', admin, { url: canaryUrl, weight: 25, version: 'abc123def456' });
    expect(set.status).toBe(200);
    expect(set.body.canary).toMatchObject({ url: canaryUrl, weight: 25, version: 'abc123def456', state: 'closed', calls: 0 });
    upstreams.payment.seen = [];
    canary.seen = [];
    await payments(40);
    expect([upstreams.payment.seen.length, canary.seen.length]).toEqual([30, 10]);
    expect(await release()).toMatchObject({ stable: { calls: 30, opened: 0 }, canary: { calls: 10, opened: 0 } });
  });

  it("keeps operators' calls in the stable instance's operator lane, whatever the canary's share", async () => {
    const before = await release();
    upstreams.payment.seen = [];
    canary.seen = [];
    for (let i = 0; i < 4; i++) expect((await send('GET', '/api/admin/messaging?service=payment', admin)).status).toBe(200);
    expect([upstreams.payment.seen.map((s) => s.url), canary.seen.length]).toEqual([Array(4).fill('/admin/messaging'), 0]);
    // Nor are they counted as the customers' calls the canary is judged against.
    expect(await release()).toMatchObject({ stable: { calls: before.stable.calls }, canary: { calls: before.canary?.calls } });
  });

  it("judges the canary by the gateway's breaker rule: a 500 is about one request and opens no breaker", async () => {
    canary.answer = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"boom":true}');
    upstreams.payment.seen = [];
    canary.seen = [];
    await payments(40);
    expect([upstreams.payment.seen.length, canary.seen.length]).toEqual([30, 10]);
    expect(await release()).toMatchObject({ canary: { state: 'closed', opened: 0, failures: 0 } });
  });

  it("opens only the canary's breaker when the canary cannot serve, and sends its share to the stable instance meanwhile", async () => {
    canary.answer = (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"unavailable":true}');
    upstreams.payment.seen = [];
    canary.seen = [];
    await payments(40);
    // Its share is 25%: the third failure in a row opens its breaker, and from then on the stable instance takes all.
    expect(canary.seen.length).toBe(3);
    expect(upstreams.payment.seen.length).toBe(37);
    expect(await release()).toMatchObject({ stable: { state: 'closed', opened: 0 }, canary: { state: 'open', opened: 1, failures: 3 } });
    const breakers = (await send<Record<string, { state: string }>>('GET', '/api/admin/breakers', admin)).body;
    expect(breakers.payment.state).toBe('closed');
  });

  it("keeps the release tool's report for the console, and refuses one that is not a report", async () => {
    const report = {
      version: 'abc123def456',
      stableVersion: '0123456789ab',
      phase: 'rolled-back',
      weight: 25,
      startedAt: new Date().toISOString(),
      windowSeconds: 60,
      elapsedSeconds: 12.5,
      verdict: 'rollback',
      reasons: ["the canary's breaker opened 1 time, the stable one's 0"],
      signals: [{ name: 'breaker trips', stable: '0', canary: '1', verdict: 'bad' }],
    };
    expect((await send('PUT', '/api/admin/releases/payment/report', admin, report)).status).toBe(200);
    expect((await release()).report).toEqual(report);
    expect((await send('PUT', '/api/admin/releases/payment/report', admin, { ...report, phase: 'done' })).status).toBe(400);
  });

  it('sends every call to the stable instance once the canary is removed', async () => {
    const cleared = await send<ReleaseView>('DELETE', '/api/admin/releases/payment/canary', admin);
    expect([cleared.status, cleared.body.canary]).toEqual([200, null]);
    upstreams.payment.seen = [];
    canary.seen = [];
    await payments(8);
    expect([upstreams.payment.seen.length, canary.seen.length]).toEqual([8, 0]);
  });
});
