import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ProductView } from '@shop/shared/contracts';
import { AppProcess, eventually, TestPlatform, workspaceRoot } from '@shop/testing';
import { call, startGateway } from '../gateway/gateway-process';

const MAIN = join(workspaceRoot(), 'dist', 'apps', 'storefront', 'src', 'demo', 'demo-catalog.main.js');

/**
 * The demo catalog loader (what `npm start` and compose's one-shot run)
 * against the catalog and order services behind a real gateway: off when
 * asked, sixteen products through the public API when the catalog is empty,
 * their events reaching the order service, nothing on a rerun, and a catalog
 * with someone else's products left alone.
 */
describe('the demo catalog loader (catalog and order services behind the gateway)', () => {
  let platform: TestPlatform;
  let gateway: AppProcess;

  const load = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [MAIN, gateway.url], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
  };
  const list = async () => (await call<{ items: ProductView[]; nextCursor: string | null }>(gateway.url, 'GET', '/api/products?limit=100')).body;

  beforeAll(async () => {
    platform = await TestPlatform.start({ apps: ['catalog', 'order'] });
    // The write limit npm start runs with (5/s, burst 10): sixteen products in a row meet it, and the loader waits as told.
    gateway = await startGateway({ ...platform.gatewayEnv(), AUTH_DEMO_ISSUER: 'true', RATE_LIMIT_WRITE_PER_SECOND: '5', RATE_LIMIT_WRITE_BURST: '10' });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  it('loads nothing with SHOP_DEMO_CATALOG=0', async () => {
    expect(load({ SHOP_DEMO_CATALOG: '0' })).toEqual({ status: 0, stdout: 'demo-catalog: off (SHOP_DEMO_CATALOG)', stderr: '' });
    expect((await list()).items).toEqual([]);
  });

  it('refuses a setting it does not know, in one line', () => {
    expect(load({ SHOP_DEMO_CATALOG: 'maybe' })).toMatchObject({ status: 2, stderr: expect.stringMatching(/^demo-catalog: invalid configuration: SHOP_DEMO_CATALOG: /) });
  });

  it('fills an empty catalog through the API, and the catalog events reach the order service', async () => {
    expect(load()).toEqual({ status: 0, stdout: 'demo catalog: 16 product(s) created', stderr: '' });
    const { items, nextCursor } = await list();
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(16);
    // Newest first: the last one loaded leads.
    expect(items[0]).toMatchObject({ sku: 'DEMO-HOME-CLOCK', name: 'Wall Clock', priceCents: 4900, currency: 'EUR', stock: 18 });
    const db = new Client({ connectionString: platform.db.urlFor('order') });
    await db.connect();
    try {
      await eventually(async () => {
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from product_snapshots where product_id = any($1::uuid[])', [items.map((p) => p.id)]);
        if (rows[0].n !== 16) throw new Error(`order service knows ${rows[0].n} of 16`);
      }, 30_000);
    } finally {
      await db.end();
    }
  });

  it('creates nothing when run again', async () => {
    expect(load()).toEqual({ status: 0, stdout: 'demo-catalog: already loaded', stderr: '' });
    expect((await list()).items).toHaveLength(16);
  });

  it("leaves a catalog with someone else's products alone", async () => {
    const admin = (await call<{ accessToken: string }>(gateway.url, 'POST', '/api/auth/token', { body: { role: 'admin' } })).body.accessToken;
    const mine = await call(gateway.url, 'POST', '/api/products', { token: admin, body: { sku: 'MINE-1', name: 'Mine', priceCents: 100, currency: 'EUR', stock: 1 } });
    expect(mine.status).toBe(201);
    expect(load()).toEqual({ status: 0, stdout: 'demo-catalog: not loaded, the catalog already holds other products (1)', stderr: '' });
    expect((await list()).items).toHaveLength(17);
  });
});
