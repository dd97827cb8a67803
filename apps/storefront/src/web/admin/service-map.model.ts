import type { Json } from './console.model';

export type ServiceMap = Json<'getApiAdminServicecatalog', 200>;

export interface PlacedNode {
  name: string;
  x: number;
  y: number;
}

export interface DrawnEdge {
  from: string;
  to: string;
  kind: 'call' | 'topic';
  label: string;
  /** An SVG path from the one node's edge to the other's. */
  d: string;
}

export const NODE = { width: 120, height: 44 };
const GAP = { x: 36, y: 90 };

/**
 * Where each service goes: what calls others and nothing calls on the first
 * row (the storefront), what that calls on the second (the gateway), everything else
 * on the third; each row centred.
 */
export function placeNodes(map: ServiceMap): { nodes: PlacedNode[]; width: number; height: number } {
  const calls = map.edges.filter((e) => e.kind === 'call');
  const names = map.services.map((s) => s.name);
  const top = names.filter((n) => !calls.some((e) => e.to === n) && calls.some((e) => e.from === n));
  const second = names.filter((n) => !top.includes(n) && calls.some((e) => top.includes(e.from) && e.to === n));
  const rows = [top, second, names.filter((n) => !top.includes(n) && !second.includes(n))].filter((r) => r.length);
  const width = Math.max(...rows.map((r) => r.length)) * (NODE.width + GAP.x) + GAP.x;
  const nodes = rows.flatMap((row, i) => {
    const left = (width - row.length * (NODE.width + GAP.x) + GAP.x) / 2;
    return row.map((name, j) => ({ name, x: left + j * (NODE.width + GAP.x), y: GAP.x + i * (NODE.height + GAP.y) }));
  });
  const height = GAP.x + rows.length * (NODE.height + GAP.y) + GAP.y;
  return { nodes, width, height };
}

/**
 * Each edge as a path: calls straight between rows, or arched above a row
 * between two nodes on it; topics arched below the row, the further apart
 * their nodes the deeper, and offset a little by direction so a topic each
 * way between two services draws two arcs.
 */
export function drawEdges(map: ServiceMap, nodes: PlacedNode[]): DrawnEdge[] {
  const at = new Map(nodes.map((n) => [n.name, n]));
  return map.edges.flatMap((edge) => {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) return [];
    const ax = a.x + NODE.width / 2;
    const bx = b.x + NODE.width / 2;
    let d: string;
    if (a.y !== b.y) {
      const down = b.y > a.y;
      d = `M ${ax} ${down ? a.y + NODE.height : a.y} L ${bx} ${down ? b.y : b.y + NODE.height}`;
    } else if (edge.kind === 'call') {
      const lift = 24 + Math.abs(bx - ax) / 6;
      d = `M ${ax} ${a.y} Q ${(ax + bx) / 2} ${a.y - lift} ${bx} ${b.y}`;
    } else {
      const shift = ax < bx ? -8 : 8;
      const depth = 20 + Math.abs(bx - ax) / 4 + (ax < bx ? 0 : 14);
      d = `M ${ax + shift} ${a.y + NODE.height} Q ${(ax + bx) / 2} ${a.y + NODE.height + depth} ${bx + shift} ${b.y + NODE.height}`;
    }
    return [{ ...edge, d }];
  });
}
