import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createMetricsRegistry } from '@shop/platform/http';
import type { Registry } from 'prom-client';
import { AppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/config/gateway.config';
import { prepareGateway } from '../src/gateway.setup';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server standing for one service: records what reaches it and answers as each test says. */
export class RecordingUpstream {
  seen: Seen[] = [];
  closedBeforeAnswer = 0;
  answer: (req: Seen, res: ServerResponse) => void = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ upstream: this.name, method: req.method, url: req.url }));
  };
  private readonly server: Server;

  constructor(readonly name: string) {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        this.seen.push(seen);
        res.on('close', () => {
          if (!res.writableEnded) this.closedBeforeAnswer++;
        });
        this.answer(seen, res);
      });
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

/** The gateway in-process, as main.ts starts it (its edge included), listening on a free port. */
export async function startGateway(env: Record<string, string>): Promise<{ app: NestFastifyApplication; url: string; registry: Registry }> {
  const config = loadGatewayConfig(env);
  const { registry, httpDuration } = createMetricsRegistry('api-gateway');
  const app = await createHttpApp(AppModule.forRoot(config, registry), { name: 'api-gateway', logLevel: 'warn', httpDuration });
  prepareGateway(app, config);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), registry };
}
