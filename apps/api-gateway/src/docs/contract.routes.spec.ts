import 'reflect-metadata';
import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CONTRACT_CONTROLLERS } from '../app.module';
import { IssueTokenHttpController } from '../auth/issue-token/issue-token.http.controller';
import { PROXIED_ROUTES } from '../edge/proxy-routes';
import { CONTRACT_ROUTES } from './contract.routes';
import { buildOpenApiDocument, openApiPath } from './openapi.document';

interface ServedRoute {
  method: string;
  path: string;
}

/** What the gateway's Nest controllers serve, read from their decorators. */
function controllerRoutes(controllers: Type<unknown>[]): ServedRoute[] {
  const routes: ServedRoute[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '/');
      const path = `/${[base, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      routes.push({ method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number], path });
    }
  }
  return routes;
}

const sorted = (routes: ServedRoute[]) => routes.map(({ method, path }) => ({ method, path })).sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));

describe('the contract route table', () => {
  it('lists exactly the routes the gateway serves: the proxied ones and the Nest controllers\' (access is the edge\'s, edge-rules.ts)', () => {
    const served = [...PROXIED_ROUTES, ...controllerRoutes([...CONTRACT_CONTROLLERS, IssueTokenHttpController])];
    expect(sorted(served)).toEqual(sorted(CONTRACT_ROUTES));
    expect(new Set(served.map((r) => `${r.method} ${r.path}`)).size).toBe(served.length);
  });

  it('gives every route an OpenAPI operation with its request schema, success shape and problem answers', () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of CONTRACT_ROUTES) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()] as {
        responses: Record<string, unknown>;
        requestBody?: unknown;
        security: unknown[];
      };
      expect(op).toBeDefined();
      expect(Object.keys(op.responses)).toContain(String(route.success.status));
      expect(Boolean(op.requestBody)).toBe(Boolean(route.body));
      expect(op.security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }]);
      if (route.access !== 'public') expect(Object.keys(op.responses)).toContain('401');
      expect(op.responses['429']).toMatchObject({ headers: { 'Retry-After': expect.anything() } });
    }
  });

  it('links the AsyncAPI document the gateway serves beside it', () => {
    const doc = buildOpenApiDocument() as { info: { description: string } };
    expect(doc.info.description).toContain('[AsyncAPI document](/docs/asyncapi.json)');
  });

  it('names every operation uniquely, so generated clients get one method per route', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toHaveLength(CONTRACT_ROUTES.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents query parameters from the contract schemas the services validate with', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string; required: boolean }> }>> };
    const list = doc.paths['/api/products'].get.parameters.map(({ name, in: where, required }) => ({ name, in: where, required }));
    expect(list).toEqual([
      { name: 'q', in: 'query', required: false },
      { name: 'category', in: 'query', required: false },
      { name: 'minPriceCents', in: 'query', required: false },
      { name: 'maxPriceCents', in: 'query', required: false },
      { name: 'limit', in: 'query', required: false },
      { name: 'cursor', in: 'query', required: false },
    ]);
    const payments = doc.paths['/api/payments'].get.parameters;
    expect(payments).toEqual([expect.objectContaining({ name: 'orderId', in: 'query', required: true })]);
    const place = doc.paths['/api/orders'].post.parameters;
    expect(place).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
  });
});
