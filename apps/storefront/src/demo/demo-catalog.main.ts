import { z } from 'zod';
import { DemoCatalogError, loadDemoCatalog } from './demo-catalog.loader';

/**
 * `node dist/apps/storefront/src/demo/demo-catalog.main.js [gateway-url]`:
 * loads the demo catalog into an empty shop (compose's one-shot
 * `demo-catalog`; `npm start` calls the loader itself). SHOP_DEMO_CATALOG=0
 * turns it off. Exits 0 when the catalog is loaded, already there, or
 * someone else's; 1 with one line when it could not be loaded; 2 on bad configuration.
 */
export const demoCatalogEnvSchema = z.object({
  SHOP_DEMO_CATALOG: z.enum(['0', '1', 'false', 'true']).default('1'),
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
});

export function demoCatalogEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.SHOP_DEMO_CATALOG || '1';
  return value === '1' || value === 'true';
}

async function main(): Promise<number> {
  const present = Object.fromEntries(Object.entries({ ...process.env, GATEWAY_URL: process.argv[2] ?? process.env.GATEWAY_URL }).filter(([, v]) => v));
  const config = demoCatalogEnvSchema.safeParse(present);
  if (!config.success) {
    process.stderr.write(`demo-catalog: invalid configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    return 2;
  }
  if (!demoCatalogEnabled(config.data)) {
    process.stdout.write('demo-catalog: off (SHOP_DEMO_CATALOG)\n');
    return 0;
  }
  try {
    const result = await loadDemoCatalog({ gatewayUrl: config.data.GATEWAY_URL, log: (line) => process.stdout.write(`${line}\n`), readyTimeoutMs: 120_000 });
    if (result.outcome === 'left-alone') process.stdout.write(`demo-catalog: not loaded, ${result.reason}\n`);
    else if (!result.created) process.stdout.write('demo-catalog: already loaded\n');
    return 0;
  } catch (err) {
    process.stderr.write(`demo-catalog: ${err instanceof DemoCatalogError ? err.message : String((err as Error).message).split('\n')[0]}\n`);
    return 1;
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
