import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { errors, Pool } from 'undici';

/** Headers that describe one connection, not the message (RFC 9110 section 7.6.1): never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
]);

type Headers = Record<string, string | string[] | undefined>;

/** A copy without hop-by-hop headers, including any the `Connection` header names. */
export function endToEndHeaders(headers: Headers | IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

/** What the gateway should know about the browser's request: who asked and how it reached us. */
export function forwardedHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers = endToEndHeaders(req.headers);
  // undici sets Host for the gateway's origin.
  delete headers.host;
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client;
  headers['x-forwarded-proto'] = String(req.headers['x-forwarded-proto'] ?? 'http');
  if (req.headers.host) headers['x-forwarded-host'] = String(req.headers['x-forwarded-host'] ?? req.headers.host);
  return headers;
}

function problem(res: ServerResponse, status: number, detail: string): void {
  const title = status === 504 ? 'Gateway Timeout' : 'Bad Gateway';
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
}

/**
 * `/api/*` to the gateway over one keep-alive pool, both bodies streamed,
 * so the browser sees one origin whatever the deployment. Status, headers
 * and problem bodies come back as the gateway sent them, minus hop-by-hop
 * headers. No gateway answer becomes a 502 (or 504) problem the app can show.
 */
export class GatewayProxy {
  private readonly pool: Pool;

  constructor(
    readonly gatewayUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.pool = new Pool(new URL(gatewayUrl).origin, { connections: 64, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    // The browser went away: stop the gateway call too.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    let answer;
    try {
      answer = await this.pool.request({
        path: req.url ?? '/',
        method: method as 'GET',
        headers: forwardedHeaders(req),
        body: hasBody ? req : undefined,
        signal: abort.signal,
      });
    } catch (err) {
      if (abort.signal.aborted || res.headersSent) return;
      const timedOut = err instanceof errors.HeadersTimeoutError;
      this.logger.warn({ error: (err as Error).message, code: (err as { code?: string }).code, url: req.url }, 'gateway call failed');
      problem(
        res,
        timedOut ? 504 : 502,
        timedOut ? 'The shop did not answer in time; please try again.' : 'The shop cannot be reached right now; please try again in a moment.',
      );
      return;
    }
    res.writeHead(answer.statusCode, endToEndHeaders(answer.headers));
    try {
      await pipeline(answer.body, res);
    } catch (err) {
      // Headers are gone already: the only honest signal left is a cut connection.
      if (!abort.signal.aborted) this.logger.warn({ error: (err as Error).message, url: req.url }, 'gateway answer cut short');
      res.destroy();
    }
  }

  /** Ready when the gateway says it is ready. */
  async gatewayReady(): Promise<{ ok: boolean; error?: string }> {
    try {
      const { statusCode, body } = await this.pool.request({ path: '/health/ready', method: 'GET', signal: AbortSignal.timeout(2_000) });
      await body.dump();
      return statusCode === 200 ? { ok: true } : { ok: false, error: `gateway /health/ready answered ${statusCode}` };
    } catch (err) {
      return { ok: false, error: `gateway unreachable: ${(err as Error).message}` };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
