import { createServer, Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics` on a listener of its own, never the public one: what the
 * gateway reveals about its upstreams is for the scraper (METRICS_HOST,
 * loopback unless a container needs it reachable).
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      // A new error without the code: the app's start-up would otherwise name PORT as the one in use.
      reject(new Error(err.code === 'EADDRINUSE' ? `metrics port ${port} is already in use (set METRICS_PORT)` : `metrics listener: ${err.message}`)),
    );
    server.listen(port, host, resolve);
  });
  return server;
}

export function closeMetrics(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
