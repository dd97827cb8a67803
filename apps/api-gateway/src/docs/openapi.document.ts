import { z } from 'zod';
import { ContractRoute, CONTRACT_ROUTES } from './contract.routes';
import { problemDetails } from './response.schemas';

type JsonSchema = Record<string, unknown>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input, or input the database cannot store (a NUL byte anywhere, a date out of range); `errors` names every field at fault',
  401: 'no bearer token, or not a valid one (refused at the gateway)',
  403: 'the token is valid but its role may not do this',
  404: 'not found (someone else\'s order is not found either)',
  409: 'conflicts with the current state',
  413: 'the body is larger than 1 MiB',
  422: 'well-formed but not acceptable (unknown product, Idempotency-Key reused with another body)',
  502: "the service's own upstream (the owner of the data it imports) failed or answered something unusable",
  429: "over the client's rate limit (per customer, or per address without a token), or the client alone fills the service's bulkhead; retry after `Retry-After` seconds",
  503: 'the service is down, full or its circuit breaker is open; retry after `Retry-After` seconds',
  504: 'the service did not answer in time',
};

/** A zod schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function problemResponse(status: number): JsonSchema {
  const response: JsonSchema = {
    description: ERROR_DESCRIPTIONS[status] ?? 'error',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  if (status === 429 || status === 503) response.headers = { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } };
  return response;
}

function parameters(route: ContractRoute): JsonSchema[] {
  const params: JsonSchema[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: route.params?.[name] ? jsonSchema(route.params[name], 'input') : { type: 'string', format: 'uuid' },
  }));
  if (route.query) {
    const query = jsonSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  for (const header of route.headers ?? []) {
    params.push({ name: header.name, in: 'header', required: false, description: header.description, schema: jsonSchema(header.schema, 'input') });
  }
  return params;
}

function errorStatuses(route: ContractRoute): number[] {
  const statuses = new Set(route.errors);
  // Input the database cannot store (a NUL byte in the path, the query or the body) is refused at the edge, on every route.
  statuses.add(400);
  if (route.access !== 'public') statuses.add(401);
  if (route.access === 'customer' || route.access === 'admin') statuses.add(403);
  // Every route of the contract counts against its client's token bucket.
  statuses.add(429);
  if (route.upstream !== 'gateway') {
    statuses.add(503);
    statuses.add(504);
  }
  return [...statuses].sort((a, b) => a - b);
}

function operation(route: ContractRoute): JsonSchema {
  const upstreams = Array.isArray(route.upstream) ? route.upstream.join(', ') : route.upstream;
  const success: JsonSchema = {
    description: route.success.description,
    content: { 'application/json': { schema: jsonSchema(route.success.schema, 'output') } },
  };
  if (route.success.headers) {
    success.headers = Object.fromEntries(
      Object.entries(route.success.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
    );
  }
  const op: JsonSchema = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\/:?(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [Array.isArray(route.upstream) ? 'composition' : route.upstream],
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    'x-upstream': upstreams,
    'x-access': route.access,
    parameters: parameters(route),
    responses: {
      [route.success.status]: success,
      ...Object.fromEntries(errorStatuses(route).map((status) => [status, problemResponse(status)])),
    },
  };
  if (route.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
  }
  return op;
}

/** `/api/orders/:id` → `/api/orders/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * OpenAPI 3.1 for the whole public contract, built from the same zod schemas
 * the services validate requests with.
 */
export function buildOpenApiDocument(routes: ContractRoute[] = CONTRACT_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shop platform public API',
      version: '1.0.0',
      description:
        'Served by the api-gateway at `/api`. JSON in and out; errors are `application/problem+json` (RFC 9457). Money is integer minor units plus an ISO 4217 currency. Tokens: `Authorization: Bearer <JWT>` with `sub` and `role` (customer or admin). The events the services exchange over Kafka are described by the [AsyncAPI document](/docs/asyncapi.json) beside this one.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'catalog' },
      { name: 'order' },
      { name: 'payment' },
      { name: 'delivery' },
      { name: 'review' },
      { name: 'composition', description: 'answered by the gateway from several services' },
      { name: 'named in the request', description: "operator routes, forwarded to the service named in the query or body" },
      { name: 'gateway', description: 'answered by the gateway itself' },
    ],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchema(problemDetails, 'output') },
    },
  };
}
