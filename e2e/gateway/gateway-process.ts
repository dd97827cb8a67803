import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort, workspaceRoot } from '@shop/testing';

/** The compiled gateway as a real process (TestPlatform knows only the five services). */
export class GatewayProcess {
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(env: Record<string, string>): Promise<GatewayProcess> {
    const entry = join(workspaceRoot(), 'dist', 'apps', 'api-gateway', 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing; run npm run build (npm test does)`);
    const port = await freePort();
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: process.env.TEST_APP_LOG_LEVEL ?? 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`api-gateway exited with ${child.exitCode}:\n${gateway.logs()}`);
      try {
        if ((await fetch(`${gateway.url}/health/ready`)).status === 200) return gateway;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await gateway.stop();
    throw new Error(`api-gateway not ready within 30 s:\n${gateway.logs()}`);
  }

  logs(): string {
    return this.output.join('');
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s: no child may outlive the suite. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  }
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

