import type { BreakerSnapshot } from '@shop/platform/resilience';
import { CatalogEntity, parseRef } from '@shop/platform/service-catalog';

export interface ServiceMapNode {
  name: string;
  type: string;
  description: string;
  owner: string;
  lifecycle: string;
  /** The Postgres schema it owns, if any. */
  schema: string | null;
  port: number | null;
  /** Its bars (the catalog's `shop/slo-*` annotations, without the prefix). */
  slos: Record<string, string>;
  runbook: string | null;
  /** The gateway's breaker in front of it now; null for what the gateway does not call. */
  breaker: BreakerSnapshot['state'] | null;
}

export interface ServiceMapEdge {
  from: string;
  to: string;
  /** `call`: HTTP from `from` to `to`; `topic`: `from` publishes events `to` consumes. */
  kind: 'call' | 'topic';
  label: string;
}

export interface ServiceMap {
  services: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

/**
 * The service catalog as a graph: its components as nodes, each with what the
 * gateway knows of it now (its breaker), and as edges the calls between them
 * (dependsOn) and the topics (a publisher's providesApis to each consumer's
 * consumesApis).
 */
export function serviceMap(entities: CatalogEntity[], breakers: Record<string, BreakerSnapshot>): ServiceMap {
  const components = entities.filter((e) => e.kind === 'Component');
  const apis = new Map(entities.filter((e) => e.kind === 'API').map((e) => [e.metadata.name, e]));
  const resources = new Map(entities.filter((e) => e.kind === 'Resource').map((e) => [e.metadata.name, e]));
  const refs = (e: CatalogEntity, field: string, kind: string) => ((e.spec?.[field] ?? []) as string[]).map((r) => parseRef(r, kind));

  const services = components.map((c): ServiceMapNode => {
    const annotations = c.metadata.annotations ?? {};
    const schema = refs(c, 'dependsOn', 'component')
      .filter((r) => r.kind === 'resource')
      .map((r) => resources.get(r.name)?.metadata.annotations?.['shop/postgres-schema'])
      .find((s): s is string => Boolean(s));
    return {
      name: c.metadata.name,
      type: String(c.spec?.type ?? 'service'),
      description: c.metadata.description ?? '',
      owner: parseRef(String(c.spec?.owner ?? ''), 'group').name,
      lifecycle: String(c.spec?.lifecycle ?? ''),
      schema: schema ?? null,
      port: annotations['shop/port'] ? Number(annotations['shop/port']) : null,
      slos: Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith('shop/slo-')).map(([k, v]) => [k.slice('shop/slo-'.length), v])),
      runbook: (c.metadata.links ?? []).find((l) => l.title === 'Runbook')?.url.replace(/^(\.\.\/)+/, '') ?? null,
      breaker: breakers[c.metadata.name]?.state ?? null,
    };
  });

  const edges: ServiceMapEdge[] = [];
  for (const c of components) {
    for (const r of refs(c, 'dependsOn', 'component')) if (r.kind === 'component') edges.push({ from: c.metadata.name, to: r.name, kind: 'call', label: 'HTTP' });
  }
  for (const publisher of components) {
    for (const provided of refs(publisher, 'providesApis', 'api')) {
      const topic = apis.get(provided.name)?.metadata.annotations?.['shop/topic'];
      if (!topic) continue;
      for (const consumer of components) {
        if (refs(consumer, 'consumesApis', 'api').some((r) => r.name === provided.name)) edges.push({ from: publisher.metadata.name, to: consumer.metadata.name, kind: 'topic', label: topic });
      }
    }
  }
  return { services, edges };
}
