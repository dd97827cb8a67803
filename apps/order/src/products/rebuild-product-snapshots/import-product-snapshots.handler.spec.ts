import { randomUUID } from 'node:crypto';
import { ProblemException } from '@shop/platform/http';
import type { ProductExportItem } from '@shop/shared/contracts';
import { InMemoryCatalogProductExport } from '../../../test/in-memory-catalog-products';
import { inMemoryOrders } from '../../../test/in-memory-orders';
import { ImportProductSnapshotsHandler } from './import-product-snapshots.handler';

const MONDAY = '2026-11-30T09:00:00.000Z';
const WEDNESDAY = '2026-12-02T09:00:00.000Z';

function setup() {
  const world = inMemoryOrders();
  const catalog = new InMemoryCatalogProductExport();
  const handler = new ImportProductSnapshotsHandler(world.unitOfWork.asUnitOfWork, world.products, catalog);
  const product = (sku: string, overrides: Partial<ProductExportItem> = {}): ProductExportItem => ({
    productId: randomUUID(),
    sku,
    name: sku.toLowerCase(),
    description: `the ${sku.toLowerCase()}`,
    priceCents: 1000,
    currency: 'EUR',
    productVersion: 1,
    category: 'kitchen',
    changedAt: MONDAY,
    ...overrides,
  });
  /** `n` products the catalog has, in its change order. */
  const many = (n: number, changedAt = MONDAY) => Array.from({ length: n }, (_, i) => product(`P${i}`, { changedAt })).map((p) => (catalog.change(p), p));
  return { ...world, catalog, handler, product, many };
}

afterEach(() => jest.useRealTimers());

describe('ImportProductSnapshotsHandler', () => {
  it('imports the whole export page by page, each product as the snapshot keeps it', async () => {
    const { catalog, handler, many, products, unitOfWork } = setup();
    const [first] = many(1_200);
    await expect(handler.execute({})).resolves.toEqual({ fetched: 1_200, updated: 1_200, nextCursor: null });
    expect(products.rows.size).toBe(1_200);
    expect(products.rows.get(first.productId)).toEqual({
      productId: first.productId,
      sku: 'P0',
      name: 'p0',
      priceCents: 1000,
      currency: 'EUR',
      productVersion: 1,
    });
    expect(catalog.pages).toBe(3);
    expect(unitOfWork.commits).toBe(3);
    expect(unitOfWork.published).toEqual([]);
  });

  it('stops when its time is up with a cursor, and the call given that cursor goes on from there, counting nothing twice', async () => {
    const { catalog, handler, many, products } = setup();
    many(1_200);
    jest.useFakeTimers({ now: Date.parse(WEDNESDAY) });
    catalog.during = () => jest.advanceTimersByTime(1_500); // the catalog is slow: two pages use up a call's two seconds
    const first = await handler.execute({});
    expect(first).toEqual({ fetched: 1_000, updated: 1_000, nextCursor: expect.any(String) });
    expect(products.rows.size).toBe(1_000);
    const rest = await handler.execute({ cursor: first.nextCursor ?? undefined });
    expect(rest).toEqual({ fetched: 200, updated: 200, nextCursor: null });
    expect(products.rows.size).toBe(1_200);
  });

  it('imports since a time only the products changed from then on', async () => {
    const { catalog, handler, many, products } = setup();
    many(3, MONDAY);
    const recent = many(2, WEDNESDAY);
    await expect(handler.execute({ since: '2026-12-01T00:00:00.000Z' })).resolves.toEqual({ fetched: 2, updated: 2, nextCursor: null });
    expect([...products.rows.keys()].sort()).toEqual(recent.map((p) => p.productId).sort());
    expect(catalog.pages).toBe(1);
  });

  it('never moves a snapshot back: a newer version from a live event wins over an older one in the export', async () => {
    const { catalog, handler, product, products, unitOfWork } = setup();
    const kettle = product('KETTLE', { productVersion: 2, priceCents: 1500 });
    catalog.change(kettle);
    const { productId, sku, name, currency } = kettle;
    await unitOfWork.run(async (tx) => products.upsert(tx, { productId, sku, name, currency, priceCents: 1800, productVersion: 3 }));
    await expect(handler.execute({})).resolves.toEqual({ fetched: 1, updated: 0, nextCursor: null });
    expect(products.rows.get(kettle.productId)).toMatchObject({ priceCents: 1800, productVersion: 3 });
  });

  it('changes nothing when run again', async () => {
    const { handler, many, products } = setup();
    many(3);
    await handler.execute({});
    const first = structuredClone([...products.rows]);
    await expect(handler.execute({})).resolves.toEqual({ fetched: 3, updated: 0, nextCursor: null });
    expect([...products.rows]).toEqual(first);
  });

  it('fails as the catalog does, keeping the pages it stored and nothing of the next, and a second run completes the rest', async () => {
    const { catalog, handler, many, products } = setup();
    many(700);
    const unreachable = new ProblemException(502, "catalog's export could not be reached: connect ECONNREFUSED");
    catalog.during = (page) => {
      if (page === 2) throw unreachable;
    };
    await expect(handler.execute({})).rejects.toBe(unreachable);
    expect(products.rows.size).toBe(500);
    catalog.during = undefined;
    await expect(handler.execute({})).resolves.toEqual({ fetched: 700, updated: 200, nextCursor: null });
    expect(products.rows.size).toBe(700);
  });
});
