import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { StorefrontConfig } from '../config/storefront.config';
import { GatewayProxy } from './gateway-proxy';
import { StaticFiles } from './static-files';

export interface Storefront {
  server: Server;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

/**
 * The storefront's server: the built app (static files with SPA fallback),
 * `/api/*` proxied to the gateway, `/health/live`, `/health/ready` (the
 * gateway's readiness), `/metrics`, and `/ui-config.json` (what the pages
 * link to: the trace UI). node:http and undici only.
 */
export function createStorefront(config: StorefrontConfig, staticDir: string, logger: Logger): Storefront {
  const files = new StaticFiles(staticDir);
  const proxy = new GatewayProxy(config.GATEWAY_URL, config.GATEWAY_TIMEOUT_MS, logger);
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'storefront' });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'storefront_requests_total',
    help: 'Requests served, by kind (page, asset, api, health) and status class',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    let kind = 'page';
    res.once('finish', () => requests.inc({ kind, status: `${Math.floor(res.statusCode / 100)}xx` }));
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      kind = 'api';
      return proxy.forward(req, res);
    }
    if (pathname === '/health/live') {
      kind = 'health';
      return json(res, 200, { status: 'ok' });
    }
    if (pathname === '/health/ready') {
      kind = 'health';
      const gateway = await proxy.gatewayReady();
      return json(res, gateway.ok ? 200 : 503, {
        status: gateway.ok ? 'ok' : 'unavailable',
        checks: { gateway: gateway.ok ? { status: 'ok' } : { status: 'down', error: gateway.error } },
      });
    }
    if (pathname === '/ui-config.json') {
      return json(res, 200, { traceUiUrl: config.TRACE_UI_URL ?? null });
    }
    if (pathname === '/metrics') {
      kind = 'health';
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(text);
      return;
    }
    if (pathname.startsWith('/assets/')) kind = 'asset';
    files.serve(req, res, pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      logger.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) json(res, 500, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'The storefront failed to answer.' });
      else res.destroy();
    });
  });
  // Browsers keep connections open; let them idle a little longer than the proxy's own pool does.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await proxy.close();
    },
  };
}

/** Listens on the port, or rejects with one line (port in use, no build output). */
export async function listen(storefront: Storefront, port: number, staticDir: string): Promise<number> {
  if (!new StaticFiles(staticDir).built) throw new Error(`no built pages in ${staticDir}; run npm run build`);
  await new Promise<void>((resolve, reject) => {
    storefront.server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use`) : err),
    );
    storefront.server.listen(port, resolve);
  });
  return (storefront.server.address() as { port: number }).port;
}
