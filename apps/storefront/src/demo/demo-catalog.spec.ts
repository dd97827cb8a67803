import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProductSchema } from '@shop/shared/contracts';
import { demoCategorySlug, DEMO_PRODUCTS, demoProduct } from './demo-catalog.data';
import { planDemoLoad } from './demo-catalog.loader';
import { demoCatalogEnabled } from './demo-catalog.main';

const PICTURES = join(__dirname, '..', '..', 'public', 'pictures');

describe('the demo catalog', () => {
  it('is a dozen or two products across a few categories, each valid for POST /api/products', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(12);
    expect(DEMO_PRODUCTS.length).toBeLessThanOrEqual(24);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.category)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.sku)).size).toBe(DEMO_PRODUCTS.length);
    for (const { sku, name, description, priceCents, currency, stock, category: label } of DEMO_PRODUCTS) {
      const category = demoCategorySlug(label);
      expect({ sku, ok: createProductSchema.safeParse({ sku, name, description, priceCents, currency, stock, category }).success }).toEqual({ sku, ok: true });
    }
    expect(demoCategorySlug('Tea & coffee')).toBe('tea-and-coffee');
  });

  it('has a small SVG picture for every product, and no picture without a product', () => {
    const files = readdirSync(PICTURES).filter((f) => f.endsWith('.svg'));
    expect(files.sort()).toEqual(DEMO_PRODUCTS.map((p) => `${p.picture}.svg`).sort());
    for (const file of files) {
      const svg = readFileSync(join(PICTURES, file), 'utf8');
      expect({ file, small: svg.length < 2_048, svg: svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), titled: /<title>[^<]+<\/title>/.test(svg) }).toEqual({
        file,
        small: true,
        svg: true,
        titled: true,
      });
      // Same origin only (the storefront's CSP): nothing the picture would fetch.
      expect(svg).not.toMatch(/href=|url\(/);
    }
  });

  it('finds a demo product by SKU and nothing for any other', () => {
    expect(demoProduct('DEMO-TEA-MUG')?.picture).toBe('mug');
    expect(existsSync(join(PICTURES, 'mug.svg'))).toBe(true);
    expect(demoProduct('SF-1234')).toBeUndefined();
  });
});

describe('planDemoLoad', () => {
  it('loads everything into an empty catalog', () => {
    expect(planDemoLoad({ skus: [], more: false })).toEqual({ create: DEMO_PRODUCTS });
  });

  it('finishes a load cut short, and creates nothing on a rerun', () => {
    const first = DEMO_PRODUCTS.slice(0, 5).map((p) => p.sku);
    expect(planDemoLoad({ skus: first, more: false })).toEqual({ create: DEMO_PRODUCTS.slice(5) });
    expect(planDemoLoad({ skus: DEMO_PRODUCTS.map((p) => p.sku), more: false })).toEqual({ create: [] });
  });

  it("leaves someone else's catalog alone", () => {
    expect(planDemoLoad({ skus: ['SF-1'], more: false })).toEqual({ leaveAlone: expect.stringContaining('other products') });
    expect(planDemoLoad({ skus: [DEMO_PRODUCTS[0].sku, 'SF-1'], more: false })).toHaveProperty('leaveAlone');
    expect(planDemoLoad({ skus: DEMO_PRODUCTS.map((p) => p.sku), more: true })).toHaveProperty('leaveAlone');
  });
});

describe('SHOP_DEMO_CATALOG', () => {
  it('is on unless set to 0 or false', () => {
    expect(demoCatalogEnabled({})).toBe(true);
    expect(demoCatalogEnabled({ SHOP_DEMO_CATALOG: '1' })).toBe(true);
    expect(demoCatalogEnabled({ SHOP_DEMO_CATALOG: '0' })).toBe(false);
    expect(demoCatalogEnabled({ SHOP_DEMO_CATALOG: 'false' })).toBe(false);
  });
});
