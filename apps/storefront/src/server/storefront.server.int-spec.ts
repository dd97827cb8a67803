import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { loadStorefrontConfig } from '../config/storefront.config';
import { createStorefront, listen, Storefront } from './storefront.server';

/**
 * The storefront's server over real sockets: its static files, and its proxy
 * in front of an HTTP server that records what reached it (what the gateway
 * would see). The real gateway behind it is e2e/storefront's business.
 */
describe('storefront server', () => {
  let dir: string;
  let upstream: Server;
  let upstreamUrl: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
  let storefront: Storefront;
  let base: string;
  let metricsBase: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storefront-static-'));
    mkdirSync(join(dir, 'public', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'public', 'index.html'), '<!doctype html><title>Shop</title><div id="app"></div>');
    writeFileSync(join(dir, 'public', 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
    writeFileSync(join(dir, 'secret.json'), '{"secret":true}');

    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    const config = loadStorefrontConfig({ PORT: '0', GATEWAY_URL: upstreamUrl, GATEWAY_TIMEOUT_MS: '500', TRACE_UI_URL: 'http://127.0.0.1:9411/zipkin/' });
    storefront = createStorefront(config, join(dir, 'public'), pino({ level: 'silent' }));
    const ports = await listen(storefront, { port: 0, host: '127.0.0.1', metricsPort: 0, metricsHost: '127.0.0.1' }, join(dir, 'public'));
    base = `http://127.0.0.1:${ports.port}`;
    metricsBase = `http://127.0.0.1:${ports.metricsPort}`;
  });

  afterAll(async () => {
    await storefront?.close();
    upstream?.closeAllConnections();
    await new Promise((r) => upstream?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw request, so hop-by-hop headers and odd paths go out exactly as written. */
  function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  describe('pages', () => {
    it('serves index.html for / and for every client-side route, revalidated each time', async () => {
      for (const path of ['/', '/products/123', '/orders/abc', '/checkout?x=1']) {
        const res = await raw(path);
        expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
        expect(res.body.toString()).toContain('<div id="app">');
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      }
    });

    it('serves hashed assets gzipped and cacheable for a year; a missing asset is a 404, not the page', async () => {
      const res = await raw('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(gunzipSync(res.body).toString()).toContain('console.log');
      const plain = await raw('/assets/index-abc123.js');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toContain('console.log');
      expect((await raw('/assets/missing.js')).status).toBe(404);
    });

    it('never serves a file outside the build folder', async () => {
      for (const path of ['/../secret.json', '/%2e%2e/secret.json', '/..%2fsecret.json', '/assets/..%2f..%2fsecret.json', '/%00.js']) {
        const res = await raw(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.body.toString()).not.toContain('secret');
      }
    });

    it('answers 405 to writes outside /api', async () => {
      expect((await raw('/', { method: 'POST', body: Buffer.from('x') })).status).toBe(405);
    });
  });

  describe('/api proxy', () => {
    it('forwards method, path, query, body and end-to-end headers, and strips hop-by-hop ones both ways', async () => {
      let seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;
      handler = (req, res, body) => {
        seen = { method: req.method, url: req.url, headers: req.headers, body: body.toString() };
        res.writeHead(422, {
          'content-type': 'application/problem+json',
          location: '/api/orders/1',
          connection: 'x-upstream-hop',
          'x-upstream-hop': 'secret',
          'keep-alive': 'timeout=5',
          'x-kept': 'yes',
        });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'unknown product' }));
      };
      const res = await raw('/api/orders?limit=2&q=a%20b', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer token-1',
          'idempotency-key': 'k-1',
          connection: 'keep-alive, x-client-hop',
          'x-client-hop': 'secret',
          te: 'trailers',
          'proxy-authorization': 'Basic xyz',
          host: 'shop.example',
        },
        body: Buffer.from('{"items":[]}'),
      });
      expect(seen).toMatchObject({ method: 'POST', url: '/api/orders?limit=2&q=a%20b', body: '{"items":[]}' });
      expect(seen?.headers).toMatchObject({
        authorization: 'Bearer token-1',
        'idempotency-key': 'k-1',
        'content-type': 'application/json',
        'x-forwarded-host': 'shop.example',
        'x-forwarded-proto': 'http',
        'x-forwarded-for': '127.0.0.1',
      });
      for (const hop of ['x-client-hop', 'te', 'proxy-authorization']) expect(seen?.headers[hop]).toBeUndefined();
      expect(seen?.headers.host).toBe(new URL(upstreamUrl).host);

      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.headers.location).toBe('/api/orders/1');
      expect(res.headers['x-kept']).toBe('yes');
      expect(res.headers['x-upstream-hop']).toBeUndefined();
      expect(JSON.parse(res.body.toString())).toMatchObject({ status: 422, detail: 'unknown product' });
    });

    it('streams a large request body through unchanged', async () => {
      let received = 0;
      handler = (_req, res, body) => {
        received = body.length;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: body.length, last: body.at(-1) }));
      };
      const payload = Buffer.alloc(3 * 1024 * 1024, 7);
      const res = await raw('/api/upload', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: payload });
      expect(res.status).toBe(200);
      expect(received).toBe(payload.length);
      expect(JSON.parse(res.body.toString())).toEqual({ bytes: payload.length, last: 7 });
    });

    it('streams the answer: the first bytes reach the browser before the gateway has finished', async () => {
      let finish: () => void = () => undefined;
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        finish = () => res.end('last');
      };
      const text = await new Promise<string>((resolve, reject) => {
        httpRequest(`${base}/api/stream`, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
            // Only after the first chunk arrived does the gateway end its answer.
            if (body === 'first;') finish();
          });
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end();
      });
      expect(text).toBe('first;last');
    });

    it('answers 504 problem+json when the gateway does not answer in time', async () => {
      handler = () => undefined;
      const res = await raw('/api/products');
      expect(res.status).toBe(504);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body.toString())).toMatchObject({ status: 504, detail: expect.stringContaining('did not answer in time') });
    });
  });

  describe('health', () => {
    it('is live while the process runs, and ready exactly when the gateway is', async () => {
      expect((await raw('/health/live')).status).toBe(200);
      handler = (req, res) => res.writeHead(req.url === '/health/ready' ? 200 : 404).end();
      expect((await raw('/health/ready')).status).toBe(200);
      handler = (_req, res) => res.writeHead(503).end();
      const down = await raw('/health/ready');
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body.toString())).toMatchObject({ status: 'unavailable', checks: { gateway: { status: 'down' } } });
    });

    it('tells the pages where the trace UI is', async () => {
      const res = await raw('/ui-config.json');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString())).toEqual({ traceUiUrl: 'http://127.0.0.1:9411/zipkin/' });
    });

    it('counts what it served, at /metrics on its own listener and never on the public one', async () => {
      const res = await fetch(`${metricsBase}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/storefront_requests_total\{kind="api",status="4xx"/);
      const publicMetrics = await raw('/metrics');
      expect(publicMetrics.body.toString()).not.toContain('storefront_requests_total');
      expect(publicMetrics.headers['content-type']).toBe('text/html; charset=utf-8');
    });
  });

  it('answers 502 problem+json, and is not ready, when the gateway is gone', async () => {
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    const res = await raw('/api/products');
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body.toString())).toMatchObject({ status: 502, detail: expect.stringContaining('cannot be reached') });
    expect((await raw('/health/ready')).status).toBe(503);
  });
});
