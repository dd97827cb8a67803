import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { StorefrontConfig } from '../config/storefront.config';
import { GatewayProxy } from './gateway-proxy';
import { StaticFiles } from './static-files';

export interface Storefront {
  server: Server;
  /** `/metrics` alone, on a listener of its own (METRICS_HOST, METRICS_PORT): never on the public one. */
  metrics: Server;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

/**
 * The storefront's server: the built app (static files with SPA fallback),
 * `/api/*` proxied to the gateway, `/health/live`, `/health/ready` (the
 * gateway's readiness), `/ui-config.json` (what the pages link to: the
 * trace UI); `/metrics` on a second listener. node:http and undici only.
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

  const metrics = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') return void json(res, 404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'only /metrics here' });
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => {
        logger.error({ err }, 'metrics failed');
        res.writeHead(500).end();
      },
    );
  });

  const closed = (s: Server) =>
    new Promise<void>((resolve) => {
      if (!s.listening) return resolve();
      s.close(() => resolve());
      s.closeIdleConnections();
    });
  return {
    server,
    metrics,
    async close() {
      await Promise.all([closed(server), closed(metrics)]);
      await proxy.close();
    },
  };
}

/**
 * Listens on the public port and the metrics port, or rejects with one line
 * (port in use, no build output); resolves with the ports taken.
 */
export async function listen(
  storefront: Storefront,
  at: { port: number; host: string; metricsPort: number; metricsHost: string },
  staticDir: string,
): Promise<{ port: number; metricsPort: number }> {
  if (!new StaticFiles(staticDir).built) throw new Error(`no built pages in ${staticDir}; run npm run build`);
  const open = (server: Server, port: number, host: string, what: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(`${what} port ${port} is already in use`) : err));
      server.listen(port, host, () => resolve((server.address() as { port: number }).port));
    });
  return {
    port: await open(storefront.server, at.port, at.host, 'the'),
    metricsPort: await open(storefront.metrics, at.metricsPort, at.metricsHost, 'the metrics'),
  };
}
