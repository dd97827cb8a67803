import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';

type JsonSchema = Record<string, unknown>;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** `/api/orders/{id}/cancel` → a pattern for request paths, and how many parameters it has (fewer wins). */
function templateOf(path: string): { pattern: RegExp; params: number } {
  const parts = path.split(/\{[^}]+\}/);
  return { pattern: new RegExp(`^${parts.map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`), params: parts.length - 1 };
}

/**
 * The OpenAPI document a gateway serves (`/docs/json`), as a check of the
 * answers it gives: every answer to a route the document lists must have a
 * status the document lists for it and, for JSON, a body its schema accepts,
 * problems included. Schemas are compiled the first time an answer needs one.
 */
export class OpenApiAnswers {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ path: string; pattern: RegExp; params: number }>;

  constructor(private readonly document: OpenApiDocument) {
    this.templates = Object.keys(document.paths)
      .map((path) => ({ path, ...templateOf(path) }))
      .sort((a, b) => a.params - b.params);
  }

  /** What is wrong with an answer, or undefined when the document allows it (or does not describe the route). */
  problemWith(method: string, url: string, status: number, contentType: string | null, body: unknown): string | undefined {
    const path = url.split('?')[0];
    const template = this.templates.find((t) => t.pattern.test(path) && this.document.paths[t.path][method.toLowerCase()]);
    if (!template) return undefined;
    const operation = this.document.paths[template.path][method.toLowerCase()];
    const response = operation.responses[String(status)];
    const where = `${method} ${path} (${method.toLowerCase()} ${template.path}) answered ${status}`;
    if (!response) return `${where}, which the OpenAPI document does not list (${Object.keys(operation.responses).join(', ')})`;
    const media = (contentType ?? '').split(';')[0].trim();
    if (!response.content || body === undefined) return undefined;
    const content = response.content[media];
    if (!content) return `${where} as ${media || 'no content type'}, where the document says ${Object.keys(response.content).join(' or ')}`;
    const validate = this.validator(`${template.path} ${method} ${status} ${media}`, content.schema);
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    return `${where} with a body the OpenAPI document refuses: ${errors.join('; ')}: ${JSON.stringify(body).slice(0, 500)}`;
  }

  private validator(key: string, schema: JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      const ref = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref) : null;
      validate = this.ajv.compile(ref ? this.document.components.schemas[ref[1]] : schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

const documents = new Map<string, Promise<OpenApiAnswers | null>>();
/** Gateways started by the tests, built from one source: they serve one document, fetched from the first of them. */
const gateways = new Set<string>();
let shared: OpenApiAnswers | undefined;

/**
 * A gateway the tests started: its answers are held to the document already
 * fetched from another, so no request of the check's counts against the rate
 * limits a test measures.
 */
export function registerGateway(baseUrl: string): void {
  gateways.add(baseUrl);
}

/**
 * The check for answers from `baseUrl`: the document it serves at
 * `/docs/json`, fetched once; null for a base that serves none (a service
 * called directly, a stand-in upstream). A failed fetch is not remembered.
 */
export function openApiAnswersOf(baseUrl: string): Promise<OpenApiAnswers | null> {
  if (shared && gateways.has(baseUrl)) return Promise.resolve(shared);
  let loading = documents.get(baseUrl);
  if (!loading) {
    loading = fetch(`${baseUrl}/docs/json`, { signal: AbortSignal.timeout(5_000) })
      .then(async (res) => {
        if (res.status !== 200) return null;
        const doc = (await res.json()) as Partial<OpenApiDocument> & { openapi?: string };
        if (!doc.openapi || !doc.paths) return null;
        const answers = new OpenApiAnswers(doc as OpenApiDocument);
        shared ??= answers;
        return answers;
      })
      .catch((err: unknown) => {
        documents.delete(baseUrl);
        throw err;
      });
    documents.set(baseUrl, loading);
  }
  return loading.catch(() => null);
}
