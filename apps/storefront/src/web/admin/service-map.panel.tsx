import { unwrap } from '../../api/api-client';
import { ProblemAlert } from '../components/problem-alert.component';
import { usePolled } from '../state/use-polled.hook';
import { BREAKER_LABELS } from './console.model';
import { adminApi } from './operator.store';
import { drawEdges, NODE, placeNodes, type ServiceMap } from './service-map.model';

function Graph({ map }: { map: ServiceMap }) {
  const { nodes, width, height } = placeNodes(map);
  const edges = drawEdges(map, nodes);
  const services = new Map(map.services.map((s) => [s.name, s]));
  return (
    <svg class="service-map" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="service-map-title service-map-desc" data-testid="service-map">
      <desc id="service-map-desc">
        {`${map.services.length} apps; ${map.edges.filter((e) => e.kind === 'call').length} calls and ${map.edges.filter((e) => e.kind === 'topic').length} topic subscriptions between them`}
      </desc>
      <defs>
        <marker id="service-map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="service-map-arrowhead" />
        </marker>
      </defs>
      {edges.map((e) => (
        <path
          key={`${e.kind} ${e.from} ${e.to} ${e.label}`}
          d={e.d}
          class={`service-map-edge service-map-${e.kind}`}
          marker-end="url(#service-map-arrow)"
          data-testid="service-map-edge"
          data-kind={e.kind}
          data-from={e.from}
          data-to={e.to}
          data-label={e.label}
        >
          <title>{e.kind === 'call' ? `${e.from} calls ${e.to}` : `${e.label}: ${e.from} → ${e.to}`}</title>
        </path>
      ))}
      {nodes.map((n) => {
        const service = services.get(n.name);
        const state = service?.breaker ?? 'none';
        return (
          <g key={n.name} class={`service-map-node service-map-node-${state}`} data-testid={`service-map-node-${n.name}`} data-breaker={state}>
            <title>{`${n.name}: ${service?.description ?? ''}${service?.breaker ? ` (breaker ${BREAKER_LABELS[service.breaker].toLowerCase()})` : ''}`}</title>
            <rect x={n.x} y={n.y} width={NODE.width} height={NODE.height} rx="8" />
            <text x={n.x + NODE.width / 2} y={n.y + 18} text-anchor="middle" class="service-map-name">
              {n.name}
            </text>
            <text x={n.x + NODE.width / 2} y={n.y + 34} text-anchor="middle" class="service-map-state">
              {service?.breaker ? BREAKER_LABELS[service.breaker] : (service?.schema ?? service?.type ?? '')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The service catalog as a graph: the apps, the calls (solid) and the topics (dashed) between them, each service's breaker. */
export function ServiceMapPanel({ everyMs }: { everyMs: number }) {
  const map = usePolled(() => unwrap(adminApi.GET('/api/admin/service-catalog')), everyMs);
  return (
    <section aria-labelledby="service-map-title" class="console-panel">
      <h2 id="service-map-title">Service map</h2>
      <p class="hint">From the service catalog: solid arrows are calls, dashed ones topics from the publisher to each consumer; a service is coloured by the gateway's breaker in front of it.</p>
      {map.error ? <ProblemAlert error={map.error} title="The service catalog could not be read" onRetry={map.refresh} /> : null}
      {!map.data && !map.error ? <p role="status">Loading…</p> : null}
      {map.data ? <Graph map={map.data} /> : null}
    </section>
  );
}
