import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { registerBreakerMetrics } from './breaker-metrics';
import { UpstreamClient, UpstreamOptions } from './upstream-client';
import { BulkheadFullError, CircuitOpenError, ClientOverShareError, UpstreamTimeoutError, UpstreamUnreachableError } from './upstream-errors';
import { UpstreamRegistry } from './upstream-registry';

/** A real HTTP server on a free local port whose behaviour each test sets. */
class TestUpstream {
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok');
  requests = 0;
  probes = 0;
  closedBeforeAnswer = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      if (req.url === '/health/ready') this.probes++;
      else this.requests++;
      // The client went away before we answered: what an aborted request looks like from here.
      res.on('close', () => {
        if (!res.writableEnded) this.closedBeforeAnswer++;
      });
      this.handler(req, res);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const settings = (baseUrl: string, overrides: Partial<UpstreamOptions> = {}): UpstreamOptions => ({
  name: 'test',
  baseUrl,
  readTimeout: { floorMs: 1_000, maxMs: 1_000 },
  writeTimeoutMs: 1_000,
  connections: 10,
  capacity: 10,
  clientShare: 0.5,
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  // Out of the way unless a test is about it.
  consecutiveFailures: 1_000,
  resetTimeoutMs: 200,
  rollingWindowMs: 10_000,
  ...overrides,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('UpstreamClient', () => {
  let upstream: TestUpstream;
  let baseUrl: string;
  let client: UpstreamClient | undefined;

  beforeEach(async () => {
    upstream = new TestUpstream();
    baseUrl = await upstream.start();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await upstream.stop();
  });

  it('returns the answer as it is: status, headers and body', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', location: '/things/1' });
      res.end(JSON.stringify({ path: req.url, method: req.method, auth: req.headers.authorization }));
    };
    client = new UpstreamClient(settings(baseUrl));
    const res = await client.request({ method: 'POST', path: '/things?x=1', headers: { authorization: 'Bearer t' }, body: '{}' });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe('/things/1');
    expect(JSON.parse(res.body.toString())).toEqual({ path: '/things?x=1', method: 'POST', auth: 'Bearer t' });
  });

  it('opens after the failure threshold and then rejects without calling the upstream', async () => {
    upstream.handler = (_req, res) => {
      res.statusCode = 503;
      res.end('down');
    };
    client = new UpstreamClient(settings(baseUrl, { volumeThreshold: 4, resetTimeoutMs: 5_000 }));
    for (let i = 0; i < 4; i++) expect((await client.request({ method: 'GET', path: '/' })).status).toBe(503);
    expect(client.state).toBe('open');

    const started = performance.now();
    const rejected = await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(20);
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect((rejected as CircuitOpenError).retryAfterSeconds).toBe(5);
    expect(upstream.requests).toBe(4);
  });

  it('stays closed below the volume threshold, however many of those calls failed', async () => {
    upstream.handler = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { volumeThreshold: 10 }));
    for (let i = 0; i < 9; i++) await client.request({ method: 'GET', path: '/' });
    expect(client.state).toBe('closed');
  });

  it('probes the upstream by itself after resetTimeout and closes when the probe is answered, with no caller as the trial', async () => {
    let healthy = false;
    upstream.handler = (_req, res) => {
      res.statusCode = healthy ? 200 : 502;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { resetTimeoutMs: 150 }));
    for (let i = 0; i < 4; i++) await client.request({ method: 'GET', path: '/' });
    expect(client.state).toBe('open');

    healthy = true;
    await waitFor(() => client?.state === 'closed');
    expect([upstream.probes, upstream.requests]).toEqual([1, 4]);
    expect((await client.request({ method: 'GET', path: '/' })).status).toBe(200);
  });

  it('stays open while its probes fail, and refuses callers at once meanwhile', async () => {
    upstream.handler = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { resetTimeoutMs: 100 }));
    for (let i = 0; i < 4; i++) await client.request({ method: 'GET', path: '/' });
    await waitFor(() => upstream.probes >= 2);
    expect(client.state).not.toBe('closed');
    expect(await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)).toBeInstanceOf(CircuitOpenError);
    expect(upstream.requests).toBe(4);
  });

  it('keeps refusing callers while a probe hangs, then reopens when it times out', async () => {
    let hang = false;
    upstream.handler = (req, res) => {
      if (hang) return;
      res.statusCode = 504;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { resetTimeoutMs: 100, readTimeout: { floorMs: 300, maxMs: 300 } }));
    for (let i = 0; i < 4; i++) await client.request({ method: 'GET', path: '/' });
    hang = true;
    await waitFor(() => client?.state === 'halfOpen');
    const started = performance.now();
    expect(await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)).toBeInstanceOf(CircuitOpenError);
    expect(performance.now() - started).toBeLessThan(20);
    await waitFor(() => client?.state === 'open');
    expect(client.snapshot().stats.timeouts).toBe(1);
  });

  it('does not count 4xx answers as failures', async () => {
    upstream.handler = (req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 409;
      res.end('{"status":404}');
    };
    client = new UpstreamClient(settings(baseUrl, { volumeThreshold: 2 }));
    for (let i = 0; i < 20; i++) {
      const res = await client.request({ method: 'GET', path: i % 2 ? '/missing' : '/conflict' });
      expect(res.status).toBe(i % 2 ? 404 : 409);
    }
    expect(client.state).toBe('closed');
    expect(client.snapshot().stats).toMatchObject({ fires: 20, successes: 20, failures: 0 });
  });

  it('aborts the upstream request on timeout: the server sees the socket close', async () => {
    upstream.handler = () => undefined; // never answers
    client = new UpstreamClient(settings(baseUrl, { readTimeout: { floorMs: 100, maxMs: 100 } }));
    const started = performance.now();
    const err = await client.request({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(performance.now() - started).toBeLessThan(500);
    await waitFor(() => upstream.closedBeforeAnswer === 1);
    expect(client.snapshot().stats.timeouts).toBe(1);
  });

  it('aborts only the call that timed out, not the others in flight', async () => {
    upstream.handler = (req, res) => {
      if (req.url === '/late') setTimeout(() => res.end('late but in time'), 800);
    };
    // The hanging call times out at 1,000 ms while the late one is in flight; the late one answers at about 1,200 ms,
    // inside its own deadline (1,400 ms): 200 ms either side, as a loaded machine needs (with 50 ms it failed).
    client = new UpstreamClient(settings(baseUrl, { readTimeout: { floorMs: 1_000, maxMs: 1_000 } }));
    const hanging = client.request({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);
    await sleep(400);
    const late = client.request({ method: 'GET', path: '/late' });
    expect(await hanging).toBeInstanceOf(UpstreamTimeoutError);
    const res = await late;
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('late but in time');
  });

  it('rejects the excess at once while a slow upstream holds every bulkhead slot', async () => {
    const held: ServerResponse[] = [];
    upstream.handler = (_req, res) => held.push(res);
    client = new UpstreamClient(settings(baseUrl, { capacity: 2, readTimeout: { floorMs: 5_000, maxMs: 5_000 } }));
    const first = client.request({ method: 'GET', path: '/slow' });
    const second = client.request({ method: 'GET', path: '/slow' });
    await waitFor(() => held.length === 2);

    const started = performance.now();
    const third = await client.request({ method: 'GET', path: '/slow' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(20);
    expect(third).toBeInstanceOf(BulkheadFullError);
    expect(upstream.requests).toBe(2);

    for (const res of held) res.end('done');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // The slots are free again.
    upstream.handler = (_req, res) => res.end('ok');
    expect((await client.request({ method: 'GET', path: '/' })).status).toBe(200);
  });

  it('never counts a bulkhead refusal against the upstream: a burst leaves a healthy breaker closed', async () => {
    const held: ServerResponse[] = [];
    upstream.handler = (_req, res) => held.push(res);
    const c = (client = new UpstreamClient(settings(baseUrl, { capacity: 2, volumeThreshold: 2, consecutiveFailures: 3, readTimeout: { floorMs: 5_000, maxMs: 5_000 } })));
    const inFlight = [c.request({ method: 'GET', path: '/' }), c.request({ method: 'GET', path: '/' })];
    await waitFor(() => held.length === 2);
    const refused = await Promise.all(Array.from({ length: 50 }, () => c.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)));
    expect(refused.every((e) => e instanceof BulkheadFullError)).toBe(true);
    expect(client.state).toBe('closed');
    expect(client.snapshot().stats).toMatchObject({ failures: 0, bulkheadRejections: 50, inFlight: 2 });
    for (const res of held) res.end('ok');
    await Promise.all(inFlight);
    expect(client.snapshot().stats).toMatchObject({ successes: 2, failures: 0, inFlight: 0 });
  });

  it('refuses the client that holds its share of a full bulkhead as the one at fault, and the others as a full upstream', async () => {
    const held: ServerResponse[] = [];
    upstream.handler = (_req, res) => held.push(res);
    const c = (client = new UpstreamClient(settings(baseUrl, { capacity: 4, clientShare: 0.5, readTimeout: { floorMs: 5_000, maxMs: 5_000 } })));
    const inFlight = [
      ...Array.from({ length: 3 }, () => c.request({ method: 'GET', path: '/', client: 'greedy' })),
      client.request({ method: 'GET', path: '/', client: 'modest' }),
    ];
    await waitFor(() => held.length === 4);
    expect(await client.request({ method: 'GET', path: '/', client: 'greedy' }).catch((e: unknown) => e)).toBeInstanceOf(ClientOverShareError);
    expect(await client.request({ method: 'GET', path: '/', client: 'modest' }).catch((e: unknown) => e)).toBeInstanceOf(BulkheadFullError);
    expect(await client.request({ method: 'GET', path: '/', client: 'newcomer' }).catch((e: unknown) => e)).toBeInstanceOf(BulkheadFullError);
    for (const res of held) res.end('ok');
    await Promise.all(inFlight);
    // Nothing of anyone's is left held.
    upstream.handler = (_req, res) => res.end('ok');
    expect((await client.request({ method: 'GET', path: '/', client: 'greedy' })).status).toBe(200);
  });

  it('opens after a few timeouts in a row for a caller who waits for each answer, far below the volume threshold', async () => {
    upstream.handler = () => undefined; // hung
    client = new UpstreamClient(settings(baseUrl, { volumeThreshold: 100, consecutiveFailures: 3, resetTimeoutMs: 5_000, readTimeout: { floorMs: 50, maxMs: 50 } }));
    for (let i = 0; i < 3; i++) expect(await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)).toBeInstanceOf(UpstreamTimeoutError);
    expect(client.state).toBe('open');
    const started = performance.now();
    expect(await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e)).toBeInstanceOf(CircuitOpenError);
    expect(performance.now() - started).toBeLessThan(20);
    expect(upstream.requests).toBe(3);
  });

  it('opens after a few unavailable answers in a row, and a good answer in between starts the count again', async () => {
    let status = 503;
    upstream.handler = (_req, res) => {
      res.statusCode = status;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { volumeThreshold: 100, consecutiveFailures: 3, resetTimeoutMs: 5_000 }));
    for (const next of [503, 502, 200, 504, 503]) {
      status = next;
      await client.request({ method: 'GET', path: '/' });
    }
    expect(client.state).toBe('closed');
    expect(client.snapshot().stats.consecutiveFailures).toBe(2);
    status = 503;
    await client.request({ method: 'GET', path: '/' });
    expect(client.state).toBe('open');
  });

  it('times reads out from the upstream\'s measured latency, within its floor and maximum', async () => {
    let delayMs = 0;
    upstream.handler = (_req, res) => setTimeout(() => res.end('ok'), delayMs);
    // Immediate answers: 4 x their p99 is far below a floor of 1.5 s however loaded the machine is (a floor
    // of 200 ms failed whenever other processes pushed the p99 of local answers past 50 ms).
    client = new UpstreamClient(settings(baseUrl, { readTimeout: { floorMs: 1_500, maxMs: 2_000 } }));
    expect(client.currentReadTimeoutMs).toBe(2_000);
    for (let i = 0; i < 50; i++) await client.request({ method: 'GET', path: '/' });
    expect(client.currentReadTimeoutMs).toBe(1_500);

    client = new UpstreamClient(settings(baseUrl, { readTimeout: { floorMs: 50, maxMs: 2_000 } }));
    delayMs = 60;
    for (let i = 0; i < 50; i++) await client.request({ method: 'GET', path: '/' });
    // 4 x p99 of answers taking 60 ms or more: above the floor, below the maximum, and what the window says.
    const p99 = client.snapshot().stats.latencyP99Ms;
    expect(client.currentReadTimeoutMs).toBeGreaterThanOrEqual(240);
    expect(client.currentReadTimeoutMs).toBeLessThan(2_000);
    expect(Math.abs(client.currentReadTimeoutMs - 4 * p99)).toBeLessThanOrEqual(1);
  }, 15_000);

  it('gives writes their own, longer timeout and sends them once, never again', async () => {
    upstream.handler = (req, res) => setTimeout(() => res.end(req.method), req.method === 'POST' ? 150 : 0);
    client = new UpstreamClient(settings(baseUrl, { readTimeout: { floorMs: 50, maxMs: 50 }, writeTimeoutMs: 1_000 }));
    expect((await client.request({ method: 'POST', path: '/', body: '{}' })).body.toString()).toBe('POST');

    upstream.handler = () => undefined;
    const requestsBefore = upstream.requests;
    client = new UpstreamClient(settings(baseUrl, { writeTimeoutMs: 100 }));
    expect(await client.request({ method: 'POST', path: '/', body: '{}' }).catch((e: unknown) => e)).toBeInstanceOf(UpstreamTimeoutError);
    await sleep(300);
    expect(upstream.requests - requestsBefore).toBe(1);
  });

  it("keeps to a caller's shorter deadline", async () => {
    upstream.handler = () => undefined;
    client = new UpstreamClient(settings(baseUrl));
    const started = performance.now();
    const err = await client.request({ method: 'GET', path: '/', timeoutMs: 60 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("does not charge the upstream for a caller's budget running out: the call is judged by the upstream's own deadline", async () => {
    upstream.handler = (_req, res) => setTimeout(() => res.end('late but fine'), 150);
    client = new UpstreamClient(settings(baseUrl, { consecutiveFailures: 2, volumeThreshold: 2, readTimeout: { floorMs: 1_000, maxMs: 1_000 } }));
    for (let i = 0; i < 5; i++) {
      expect(await client.request({ method: 'GET', path: '/', timeoutMs: 20 }).catch((e: unknown) => e)).toBeInstanceOf(UpstreamTimeoutError);
    }
    await waitFor(() => client?.snapshot().stats.successes === 5);
    expect(client.state).toBe('closed');
    expect(client.snapshot().stats.failures).toBe(0);
    expect(upstream.closedBeforeAnswer).toBe(0);
  });

  it('passes a 500 on as the answer it is and never opens for it: it is about one request, not the upstream', async () => {
    upstream.handler = (req, res) => {
      res.statusCode = req.url === '/poison' ? 500 : 200;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { consecutiveFailures: 3, volumeThreshold: 3 }));
    for (let i = 0; i < 10; i++) expect((await client.request({ method: 'GET', path: '/poison' })).status).toBe(500);
    expect(client.state).toBe('closed');
    expect(client.snapshot().stats.failures).toBe(0);
    expect((await client.request({ method: 'GET', path: '/' })).status).toBe(200);
  });

  it('probes readiness, so an upstream that is up but cannot reach its database stays open', async () => {
    upstream.handler = (req, res) => {
      res.statusCode = req.url === '/health/live' ? 200 : 503;
      res.end();
    };
    client = new UpstreamClient(settings(baseUrl, { resetTimeoutMs: 100 }));
    for (let i = 0; i < 4; i++) await client.request({ method: 'GET', path: '/' });
    await waitFor(() => upstream.probes >= 2);
    expect(client.state).not.toBe('closed');
  });

  it('reports a refused connection as unreachable and counts it as a failure', async () => {
    await upstream.stop();
    client = new UpstreamClient(settings(baseUrl));
    const err = await client.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamUnreachableError);
    expect(client.snapshot().stats.failures).toBe(1);
    upstream = new TestUpstream();
    await upstream.start();
  });
});

describe('breaker metrics', () => {
  it('exports the state per upstream and counts outcomes and rejections', async () => {
    const upstream = new TestUpstream();
    const baseUrl = await upstream.start();
    upstream.handler = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const upstreams = new UpstreamRegistry([settings(baseUrl, { name: 'flaky', volumeThreshold: 2, resetTimeoutMs: 5_000 })]);
    const registry = new Registry();
    registerBreakerMetrics(registry, upstreams);
    try {
      for (let i = 0; i < 3; i++) await upstreams.get('flaky').request({ method: 'GET', path: '/' }).catch(() => undefined);
      const text = await registry.metrics();
      expect(text).toContain('circuit_breaker_state{upstream="flaky"} 2');
      expect(text).toContain('circuit_breaker_events_total{upstream="flaky",event="failure"} 2');
      expect(text).toContain('circuit_breaker_events_total{upstream="flaky",event="reject"} 1');
      expect(text).toContain('circuit_breaker_events_total{upstream="flaky",event="open"} 1');
      expect(text).toContain('circuit_breaker_events_total{upstream="flaky",event="timeout"} 0');
      expect(upstreams.snapshot()).toEqual({ flaky: expect.objectContaining({ state: 'open' }) });
    } finally {
      await upstreams.close();
      await upstream.stop();
    }
  });
});
