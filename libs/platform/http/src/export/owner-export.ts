import type { z } from 'zod';
import type { ApiImportResult } from '@shop/shared/contracts';
import { ProblemException } from '../problem/problem-details.filter';

export interface ExportPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OwnerExportOptions<T> {
  /** The owning service, for messages (`catalog`). */
  owner: string;
  /** Its base URL (`http://catalog:3001`) and the export's path (`/api/exports/products`). */
  baseUrl: string;
  path: string;
  /** What a page must look like; anything else is refused before a row is applied. */
  schema: z.ZodType<ExportPage<T>>;
  /** A token the owner accepts (role `service`). */
  token: () => Promise<string>;
  timeoutMs?: number;
}

/**
 * Reads another service's export (the owner's full and changed-since pages)
 * over HTTP with a service token. A failure of the owner is the caller's 502,
 * never a partial success: the importer applies only pages it has read whole.
 */
export class OwnerExportClient<T> {
  constructor(private readonly options: OwnerExportOptions<T>) {}

  async page(query: { updatedSince?: string; cursor?: string; limit: number }): Promise<ExportPage<T>> {
    const { owner, baseUrl, path, schema, timeoutMs = 10_000 } = this.options;
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.updatedSince) params.set('updatedSince', query.updatedSince);
    if (query.cursor) params.set('cursor', query.cursor);
    let token: string;
    try {
      token = await this.options.token();
    } catch (err) {
      throw new ProblemException(503, `cannot import from ${owner}: ${(err as Error).message}`);
    }
    let response: Response;
    try {
      response = await fetch(`${baseUrl.replace(/\/+$/, '')}${path}?${params}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ProblemException(502, `${owner}'s export could not be reached: ${(err as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
      } catch {
        // not a problem document: its text is the detail
      }
      throw new ProblemException(502, `${owner}'s export answered ${response.status}: ${detail}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ProblemException(502, `${owner}'s export answered something that is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ProblemException(502, `${owner}'s export answered a page of another shape: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
}

/**
 * Imports an owner's export page by page: each page is applied (in one unit of
 * work, by `apply`) before the next is read, for at most `budgetMs` per call
 * (at least one page), so an operator sees progress and no request runs for
 * ever. `nextCursor` says where to go on.
 */
export async function importExport<T>(
  client: OwnerExportClient<T>,
  from: { since?: string; cursor?: string },
  apply: (items: T[]) => Promise<number>,
  options: { pageSize?: number; budgetMs?: number } = {},
): Promise<ApiImportResult> {
  // Two seconds a step: well inside the gateway's deadline for an operator's write.
  const deadline = Date.now() + (options.budgetMs ?? 2_000);
  let cursor = from.cursor;
  let fetched = 0;
  let updated = 0;
  for (;;) {
    const page = await client.page({ updatedSince: from.since, cursor, limit: options.pageSize ?? 500 });
    fetched += page.items.length;
    if (page.items.length) updated += await apply(page.items);
    // An empty page with a cursor would loop for ever on a broken owner: stop there.
    if (!page.nextCursor || page.items.length === 0) return { fetched, updated, nextCursor: null };
    cursor = page.nextCursor;
    if (Date.now() >= deadline) return { fetched, updated, nextCursor: cursor };
  }
}
