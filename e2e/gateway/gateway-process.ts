import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppProcess } from '@shop/testing';

/** The compiled gateway as a real process, in front of the services its *_URL variables name. */
export function startGateway(env: Record<string, string>): Promise<AppProcess> {
  return AppProcess.start('api-gateway', { env });
}

/** A local upstream that holds every request until told to answer: a service that has become slow. */
export class SlowUpstream {
  readonly held: ServerResponse[] = [];
  private readonly server = createHttpServer((_req: IncomingMessage, res: ServerResponse) => {
    this.held.push(res);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  releaseAll(body: unknown): void {
    for (const res of this.held.splice(0)) {
      if (!res.writableEnded && !res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

/** One HTTP call as a storefront makes it, timed. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T, ms };
}

