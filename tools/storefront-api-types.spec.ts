import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * apps/storefront/src/api/schema.d.ts is committed; it must be exactly what
 * the generator makes from the gateway's current OpenAPI document. The
 * generator runs as its own process: openapi-typescript loads ES modules,
 * which Jest's VM cannot.
 */
const root = join(__dirname, '..');
const committed = join(root, 'apps', 'storefront', 'src', 'api', 'schema.d.ts');

function check(file: string) {
  return spawnSync('sh', [join(root, 'tools', 'run.sh'), 'storefront-api-types', '--check', file], { cwd: root, encoding: 'utf8' });
}

describe("the storefront's generated API types", () => {
  jest.setTimeout(60_000);

  it('match a fresh generation from the gateway OpenAPI document (run npm run generate when this fails)', () => {
    const run = check(committed);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('are reported stale when they differ from the document by one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storefront-schema-'));
    try {
      const stale = join(dir, 'schema.d.ts');
      writeFileSync(stale, readFileSync(committed, 'utf8').replace('rating: number;', 'rating: string;'));
      const run = check(stale);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('is stale; run npm run generate');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cover every operation the storefront calls', () => {
    const text = readFileSync(committed, 'utf8');
    for (const operation of ['getApiProducts', 'getApiProductsId', 'postApiOrders', 'getApiOrders', 'getApiOrdersIdSummary', 'postApiOrdersIdCancel', 'postApiProductsIdReviews', 'getApiProductsIdReviews', 'postApiAuthToken']) {
      expect(text).toContain(`    ${operation}: {`);
    }
  });
});
