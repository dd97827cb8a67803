import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One entity of the service catalog, in Backstage's format. */
export interface CatalogEntity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; description?: string; annotations?: Record<string, string>; links?: Array<{ url: string; title?: string }> };
  // Backstage's specs differ by kind; readers take them field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  /** Where it is written, relative to the catalog's root (`apps/order/catalog-info.yaml`). */
  file: string;
}

export const CATALOG_ROOT_FILE = 'catalog-info.yaml';

function readEntities(catalogRoot: string, file: string): CatalogEntity[] {
  return parseAllDocuments(readFileSync(join(catalogRoot, file), 'utf8'))
    .map((d) => d.toJS() as Omit<CatalogEntity, 'file'> | null)
    .filter((e): e is Omit<CatalogEntity, 'file'> => Boolean(e))
    .map((e) => ({ ...e, file }));
}

/** The root `catalog-info.yaml` and every file its Location lists. */
export function readCatalog(catalogRoot: string): CatalogEntity[] {
  const top = readEntities(catalogRoot, CATALOG_ROOT_FILE);
  const targets = top.filter((e) => e.kind === 'Location').flatMap((e) => (e.spec?.targets ?? []) as string[]);
  return [...top, ...targets.map((t) => relative(catalogRoot, join(catalogRoot, t))).flatMap((t) => readEntities(catalogRoot, t))];
}

/**
 * The nearest folder at or above `from` holding the root catalog-info.yaml, the one with the Location listing
 * the apps' (the repository, or an app's package); an app's own catalog-info.yaml on the way is passed over.
 */
export function findCatalogRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, CATALOG_ROOT_FILE);
    if (existsSync(file) && /^kind: Location$/m.test(readFileSync(file, 'utf8'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A Backstage reference (`component:order`, `resource:orders-schema`, `order-api`) → kind and name. */
export function parseRef(ref: string, defaultKind: string): { kind: string; name: string } {
  const [kind, name] = ref.includes(':') ? ref.split(':', 2) : [defaultKind, ref];
  return { kind: kind.toLowerCase(), name: name.replace(/^default\//, '') };
}
