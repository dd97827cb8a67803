import { randomUUID } from 'node:crypto';
import { AppProcess, eventually, freePort, percentile, TestPlatform, tokenFor } from '@shop/testing';
import { Answer, call, deliveredOrder, flood, startGateway } from './gateway-process';

interface Breaker {
  state: string;
  stats: Record<string, number>;
  settings: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The gateway's front-door behaviour against real services that hang
 * (SIGSTOP), burst and flood: breakers that open for a caller who waits for
 * each answer, bulkheads that refuse without tripping them, rate limits that
 * keep one client from slowing another. Timings are compared within a run,
 * as ratios where the machine's noise would swamp an absolute bound.
 */
describe('api-gateway resilience (real services, frozen, burst and flooded)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;
  let admin: string;
  let alice: string;
  let order: { id: string; productId: string };

  const api = <T = unknown>(method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer<T>> => call<T>(gateway.url, method, path, options);
  const breakers = async (base = gateway.url) => (await call<Record<string, Breaker>>(base, 'GET', '/api/admin/breakers', { token: admin })).body;

  /** Waits, calling only the gateway's breakers route, until the upstream's breaker has closed by its own probe. */
  async function closedByItself(upstream: string): Promise<void> {
    const since = performance.now();
    while ((await breakers())[upstream].state !== 'closed') {
      expect(performance.now() - since).toBeLessThan(10_000);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    platform = await TestPlatform.start({
      apps: ['catalog', 'order', 'payment', 'delivery', 'review'],
      env: { delivery: { DELIVERY_DISPATCH_DELAY_MS: '-1', DELIVERY_COMPLETE_DELAY_MS: '-1' } },
    });
    gateway = await startGateway({
      ...platform.gatewayEnv(),
      UPSTREAM_READ_TIMEOUT_FLOOR_MS: '150',
      BREAKER_CONSECUTIVE_FAILURES: '3',
      BREAKER_RESET_TIMEOUT_MS: '1000',
    });
    admin = await tokenFor('ops-1', 'admin');
    alice = await tokenFor(`alice-${randomUUID()}`);
    order = await deliveredOrder(gateway.url, { admin, customer: alice });
    await eventually(async () => {
      const review = await call(gateway.url, 'POST', `/api/products/${order.productId}/reviews`, { token: alice, body: { orderId: order.id, rating: 5 } });
      // The review grant follows order.delivered over Kafka.
      if (review.status === 403) throw new Error('the review grant has not arrived yet');
      expect(review.status).toBe(201);
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  it('opens the breaker of a frozen service within three sequential calls, then answers 503 with Retry-After in milliseconds, and closes it by itself once the service resumes', async () => {
    const path = `/api/payments?orderId=${order.id}`;
    // The read timeout follows what payment's answers took: let it learn.
    for (let i = 0; i < 60; i++) expect((await api('GET', path, { token: alice })).status).toBe(200);
    const { readTimeoutMs } = (await breakers()).payment.settings;
    expect(readTimeoutMs).toBeLessThan(2_000);

    platform.freezeApp('payment');
    try {
      const waited: Answer<{ reason: string }>[] = [];
      while ((await breakers()).payment.state === 'closed' && waited.length < 10) waited.push(await api('GET', path, { token: alice }));
      expect(waited.map((a) => [a.status, a.body.reason])).toEqual([
        [504, 'TIMEOUT'],
        [504, 'TIMEOUT'],
        [504, 'TIMEOUT'],
      ]);
      for (const answer of waited) expect(answer.ms).toBeLessThan(readTimeoutMs + 500);

      const timings: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await api<{ status: number; reason: string }>('GET', path, { token: alice });
        expect([res.status, res.body.reason]).toEqual([503, 'CIRCUIT_OPEN']);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        timings.push(res.ms);
      }
      // A timeout costs readTimeoutMs; a refusal must cost a small fraction of it.
      expect(percentile(timings, 99)).toBeLessThan(Math.min(50, readTimeoutMs / 3));
    } finally {
      platform.thawApp('payment');
    }

    // Nobody calls payment from here on: the breaker's own probe closes it.
    await closedByItself('payment');
    expect((await api('GET', path, { token: alice })).status).toBe(200);
  });

  it('answers the summary degraded within 100 ms at p99 once a frozen review service has its breaker open', async () => {
    const summary = () => api<{ degraded: string[]; reviews: unknown[]; payment: unknown }>('GET', `/api/orders/${order.id}/summary`, { token: alice });
    const healthy = await summary();
    expect([healthy.status, healthy.body.degraded, healthy.body.reviews.length]).toEqual([200, [], 1]);

    platform.freezeApp('review');
    try {
      for (let i = 0; (await breakers()).review.state === 'closed'; i++) {
        expect(i).toBeLessThan(5);
        const res = await summary();
        expect([res.status, res.body.degraded]).toEqual([200, ['reviews']]);
      }
      const timings: number[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await summary();
        expect([res.status, res.body.degraded, res.body.reviews]).toEqual([200, ['reviews'], []]);
        expect(res.body.payment).not.toBeNull();
        timings.push(res.ms);
      }
      expect(percentile(timings, 99)).toBeLessThan(100);
    } finally {
      platform.thawApp('review');
    }
    await closedByItself('review');
    expect((await summary()).body.degraded).toEqual([]);
  });

  it('refuses a burst over the bulkhead of a healthy service at once, and leaves its breaker closed', async () => {
    const second = await startGateway({ ...platform.gatewayEnv(), BULKHEAD_CAPACITY: '2' });
    try {
      // Review listings: public, and with no stale copy to fall back on (a catalog read would be served stale).
      const path = `/api/products/${order.productId}/reviews`;
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 200 }, () => call<{ reason?: string }>(second.url, 'GET', path)));
        const refused = answers.filter((a) => a.status !== 200);
        expect(refused.length).toBeGreaterThan(0);
        // All from one address, so the refusals name that client; none is a failure of the catalog's.
        for (const a of refused) expect([a.status, a.body.reason]).toEqual([429, 'CLIENT_OVER_SHARE']);
      }
      const { review } = await breakers(second.url);
      expect(review.state).toBe('closed');
      expect(review.stats.failures).toBe(0);
      expect(review.stats.bulkheadRejections).toBeGreaterThan(0);
      expect((await call(second.url, 'GET', path)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("answers one client's flood with 429 while another client's p99 stays what it was", async () => {
    const limited = await startGateway({ ...platform.gatewayEnv(), RATE_LIMIT_READ_PER_SECOND: '10', RATE_LIMIT_READ_BURST: '10' });
    const flooder = await tokenFor(`flooder-${randomUUID()}`);
    try {
      /** Alice reading her order some 8 times a second, within her limit, from the service the flooder hammers; her latencies. */
      const aliceReads = async (count: number) => {
        const timings: number[] = [];
        for (let i = 0; i < count; i++) {
          const res = await call(limited.url, 'GET', `/api/orders/${order.id}`, { token: alice });
          expect({ status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ status: 200 });
          timings.push(res.ms);
          await sleep(120);
        }
        return timings;
      };
      await aliceReads(10);
      // Alone and under the flood, in turns, so a change in the machine's load meanwhile touches both alike.
      const alone: number[] = [];
      const flooded: number[] = [];
      const ratios: number[] = [];
      const answers: Record<string, number> = {};
      const rounds = 8;
      for (let round = 0; round < rounds; round++) {
        const before = await aliceReads(20);
        const [counts, timings] = await Promise.all([
          flood(`${limited.url}/api/orders?limit=5`, flooder, { rate: 300, ms: 3_200 }),
          // Her reads start once the flooding process has spawned and is sending, so each of them meets the flood.
          sleep(300).then(() => aliceReads(20)),
        ]);
        alone.push(...before);
        flooded.push(...timings);
        ratios.push(percentile(timings, 99) / percentile(before, 99));
        for (const [status, n] of Object.entries(counts)) answers[status] = (answers[status] ?? 0) + n;
      }
      // Each round's tail under the flood against the same round's tail alone, and the median of those: a few
      // seconds in which something else on this machine took the cores land in one round and move the pooled p99
      // (that is how this test failed: 4.5x pooled while other processes were installing and compiling), while a
      // gateway that lets the flood through slows her in every round.
      const ratio = percentile(ratios, 50);
      process.stdout.write(
        `flood answers ${JSON.stringify(answers)}; alice p50/p90/p99 alone ${[50, 90, 99].map((q) => percentile(alone, q).toFixed(1)).join('/')} ms, under the flood ${[50, 90, 99].map((q) => percentile(flooded, q).toFixed(1)).join('/')} ms; p99 ratio per round ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${ratio.toFixed(2)}x)\n`,
      );
      expect(Object.keys(answers).filter((status) => status !== 'skipped').sort()).toEqual(['200', '429']);
      // Thirty times what its bucket refills, less what the flooding process could not send in time.
      expect(answers['200'] + answers['429']).toBeGreaterThan(rounds * 300 * 3.2 * 0.5);
      // The flooder got no more than its bucket allows (a burst of 10 per round, refilled at 10 a second), and 429 for the rest.
      expect(answers['200']).toBeLessThanOrEqual(rounds * (10 + 10 * 3.2) * 1.1);
      expect(answers['429']).toBeGreaterThan(answers['200']);
      // Unchanged within this shared two-core machine's noise (1.4 to 3x measured with the limit; 12x, and her reads
      // timing out, without it): the calls the flooder is still allowed, 10 a second, queue in front of hers at the
      // order service.
      expect(ratio).toBeLessThan(4);
    } finally {
      await limited.stop();
    }
  });

  it('answers 429 problem+json with Retry-After past a client\'s burst, and the next token comes when it says', async () => {
    const metricsPort = await freePort();
    const limited = await startGateway({ ...platform.gatewayEnv(), METRICS_PORT: String(metricsPort), RATE_LIMIT_ANONYMOUS_PER_SECOND: '1', RATE_LIMIT_ANONYMOUS_BURST: '3' });
    try {
      const path = `/api/products/${order.productId}`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(limited.url, 'GET', path)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await call<{ status: number; detail: string }>(limited.url, 'GET', path);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 429, detail: expect.stringContaining('per address') });
      expect(refused.headers.get('retry-after')).toBe('1');
      // Health probes are never limited.
      for (let i = 0; i < 10; i++) expect((await call(limited.url, 'GET', '/health/ready')).status).toBe(200);
      // Retry-After said 1 s: a token refills only as time passes, so this waits it out (and a little more).
      await sleep(1_100);
      expect((await call(limited.url, 'GET', path)).status).toBe(200);
      // Metrics are on their own listener, on loopback only.
      expect((await call<string>(`http://127.0.0.1:${metricsPort}`, 'GET', '/metrics')).body).toContain('circuit_breaker_state');
      expect((await call(limited.url, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await limited.stop();
    }
  });
});
