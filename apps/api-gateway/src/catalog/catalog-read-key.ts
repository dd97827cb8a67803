import { productListQuerySchema } from '@shop/shared/contracts';

type Query = Record<string, string | string[] | undefined>;

/** `a=1&b=2`, keys sorted: one spelling per set of parameters. */
function canonical(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((name) => params[name] !== undefined)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(params[name]))}`)
    .join('&');
}

/**
 * The stale cache's key for a catalog read: the request as the catalog
 * understands it, not as it was typed. The list's query is parsed with the
 * contract's own schema (defaults applied, numbers read as numbers) and
 * written back in one order, so `limit=100`, `limit=0100` and `limit=100&q=`
 * … share one entry. A query the catalog would refuse (400) has no key and is
 * never cached or served stale.
 */
export function catalogReadKey(route: 'list' | 'item', productId: string | undefined, query: Query): string | undefined {
  if (Object.values(query).some((value) => Array.isArray(value))) return undefined;
  if (route === 'item') {
    const rest = canonical(query);
    return `/api/products/${encodeURIComponent(productId ?? '')}${rest ? `?${rest}` : ''}`;
  }
  const parsed = productListQuerySchema.safeParse(query);
  if (!parsed.success) return undefined;
  // The catalog searches for the trimmed text, and an empty search is no search.
  const { q, ...rest } = parsed.data;
  const search = q?.trim();
  return `/api/products?${canonical({ ...rest, ...(search ? { q: search } : {}) })}`;
}
