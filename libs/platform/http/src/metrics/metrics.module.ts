import { Controller, Get, Header, Inject, Module } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Public } from '../public.decorator';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * The release a process belongs to, from OpenTelemetry's resource attributes (OTEL_RESOURCE_ATTRIBUTES, which
 * its traces carry too): `service.version` (the image's VERSION) and `release.track` (stable or canary). They
 * label every metric, so a canary's numbers can be told from the stable version's.
 */
export function releaseLabels(attributes = process.env.OTEL_RESOURCE_ATTRIBUTES ?? ''): { version?: string; track?: string } {
  const labels: { version?: string; track?: string } = {};
  for (const pair of attributes.split(',')) {
    const at = pair.indexOf('=');
    if (at < 1) continue;
    const key = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // not percent-encoded after all: taken as written
    }
    if (key === 'service.version' && value) labels.version = value;
    if (key === 'release.track' && value) labels.track = value;
  }
  return labels;
}

/** One registry per process, with Node's default metrics and HTTP request timings. */
export function createMetricsRegistry(app: string): { registry: Registry; httpDuration: Histogram<string> } {
  const registry = new Registry();
  registry.setDefaultLabels({ app, ...releaseLabels() });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP requests served, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

@Public()
@Controller()
class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

@Module({})
export class MetricsModule {
  static forRoot(registry: Registry) {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }],
      exports: [METRICS_REGISTRY],
    };
  }
}
