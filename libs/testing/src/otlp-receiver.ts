import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
}

interface ExportTraceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: Array<Omit<ReceivedSpan, 'service'>> }>;
  }>;
}

/**
 * An OTLP/HTTP trace receiver for apps that export JSON
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): keeps every span it is sent, with
 * the name of the service that sent it, and answers as a collector would.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];

  private constructor(private readonly server: Server) {}

  /** Listens on `host` (127.0.0.1, or an address containers can reach) on a free port. */
  static async start(host = '127.0.0.1'): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        try {
          receiver.keep(JSON.parse(body) as ExportTraceRequest);
        } catch {
          // not JSON: nothing to keep
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /**
   * The spans of one trace that starts at a server span of `from` and reaches a
   * consumer span of `to`, once every span's parent has arrived (parents end
   * after their children, so they may come in a later export). Throws while
   * there is none yet: for use inside eventually().
   */
  completeTrace(from: string, to: string): ReceivedSpan[] {
    const spans = this.spans;
    const root = spans.find((s) => s.service === from && s.kind === 2 && spans.some((c) => c.traceId === s.traceId && c.service === to && c.kind === 5));
    if (!root) throw new Error(`no trace from ${from} to a ${to} consumer yet (${spans.length} spans received)`);
    const found = spans.filter((s) => s.traceId === root.traceId);
    const ids = new Set(found.map((s) => s.spanId));
    const orphans = found.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
    if (orphans.length) throw new Error(`spans without their parent: ${orphans.map((o) => `${o.service} ${o.name}`).join(', ')}`);
    return found;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private keep(payload: ExportTraceRequest): void {
    for (const rs of payload.resourceSpans ?? []) {
      const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
      for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) this.spans.push({ ...s, service });
    }
  }
}
