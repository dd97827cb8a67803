import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 7.6.1: meaningful for one connection only, never forwarded, in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * What a client's request carries to a service: identity, trace context,
 * idempotency and content negotiation. Anything else (cookies, host, the
 * client's own hop-by-hop headers) stays at the edge.
 */
const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'traceparent',
  'tracestate',
  'baggage',
  'idempotency-key',
  'content-type',
  'accept',
  'accept-language',
  'if-none-match',
  'x-request-id',
];

/** Set again by this hop: the length of the re-sent body, and the date of our answer. */
const RECOMPUTED_RESPONSE_HEADERS = new Set(['content-length', 'date']);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const NONE: ReadonlySet<string> = new Set();

/** Header names a `Connection` header declares hop-by-hop for this connection. */
function connectionScoped(value: string | string[] | undefined): ReadonlySet<string> {
  // What nearly every connection says, and names no header to drop: not worth a split per request.
  if (value === undefined || value === 'keep-alive' || value === 'close') return NONE;
  const list = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    list
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function forwardedRequestHeaders(
  incoming: IncomingHttpHeaders,
  client: { ip: string; protocol: string },
  options: { hasBody: boolean; rawBody?: boolean },
): Record<string, string> {
  const scoped = connectionScoped(incoming['connection']);
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = first(incoming[name]);
    if (value !== undefined && !scoped.has(name)) headers[name] = value;
  }
  // The body is re-serialized JSON (or absent): say so, whatever the client sent; raw bytes keep their type.
  if (options.rawBody) return withForwarded(headers, incoming, client);
  if (options.hasBody) headers['content-type'] = 'application/json';
  else delete headers['content-type'];
  return withForwarded(headers, incoming, client);
}

function withForwarded(headers: Record<string, string>, incoming: IncomingHttpHeaders, client: { ip: string; protocol: string }): Record<string, string> {
  const forwardedFor = first(incoming['x-forwarded-for']);
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client.ip}` : client.ip;
  headers['x-forwarded-proto'] = client.protocol;
  return headers;
}

/** The service's answer headers minus hop-by-hop ones: status text, location, content type, retry-after pass as they are. */
export function forwardedResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const scoped = connectionScoped(upstream['connection']);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || scoped.has(lower) || RECOMPUTED_RESPONSE_HEADERS.has(lower)) continue;
    headers[lower] = value;
  }
  return headers;
}

/** The query string of a raw URL, with its `?`, or ''. */
export function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at);
}
