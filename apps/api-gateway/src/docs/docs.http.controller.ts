import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '@shop/platform/http';
import { buildAsyncApiDocument } from './asyncapi.document';
import { buildOpenApiDocument } from './openapi.document';

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** Files of swagger-ui-dist the page needs, served from node_modules: no CDN. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Shop platform API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="/docs/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/docs/json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * The page runs only its own scripts, from this origin: behind an ingress that
 * serves /docs beside the storefront (and the operator console's token), a
 * script injected through the page could otherwise act with that token.
 * Swagger UI sets inline styles; it needs nothing else.
 */
const DOCS_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** `GET /docs` (Swagger UI), `GET /docs/json` (the OpenAPI document) and `GET /docs/asyncapi.json` (the events' AsyncAPI document). */
@Controller('docs')
export class DocsHttpController {
  private readonly document = buildOpenApiDocument();
  private readonly events = buildAsyncApiDocument();
  private readonly files = new Map<string, Buffer>();

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    await reply.type('text/html; charset=utf-8').headers(DOCS_SECURITY_HEADERS).send(PAGE);
  }

  @Get('json')
  json(): Record<string, unknown> {
    return this.document;
  }

  // Before `:asset`, which would take it for a file of Swagger UI.
  @Get('asyncapi.json')
  asyncApi(): Record<string, unknown> {
    return this.events;
  }

  @Get(':asset')
  async asset(@Param('asset') name: string, @Res() reply: FastifyReply): Promise<void> {
    if (name === 'swagger-initializer.js') {
      await reply.type('text/javascript; charset=utf-8').send(INITIALIZER);
      return;
    }
    // Own keys only: `constructor` and its kin are on every object's prototype, and reading them as files was a 500.
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) throw new ProblemException(404, `no such file: ${name.slice(0, 100)}`);
    let file = this.files.get(name);
    if (!file) {
      file = readFileSync(join(SWAGGER_UI_DIR, name));
      this.files.set(name, file);
    }
    await reply.type(type).header('cache-control', 'public, max-age=86400').send(file);
  }
}
