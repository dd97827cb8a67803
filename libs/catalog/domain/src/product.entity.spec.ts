import { CatalogError } from './catalog.errors';
import { ProductEntity } from './product.entity';

const kettle = () =>
  ProductEntity.create({ id: 'p1', sku: 'KETTLE', name: 'Kettle', priceCents: 4999, currency: 'EUR', stock: 5 });

describe('ProductEntity', () => {
  it('starts at version 1 with an empty description', () => {
    expect(kettle().snapshot).toMatchObject({ version: 1, description: '', stock: 5 });
  });

  it('has a category or none, changed by an admin like any field; a bad one is refused and changes nothing', () => {
    expect(kettle().snapshot).toMatchObject({ category: null, pictureEtag: null });
    const p = kettle();
    p.update({ category: 'garden-tools' });
    expect(p.snapshot).toMatchObject({ category: 'garden-tools', version: 2 });
    expect(() => p.update({ category: 'Garden Tools' })).toThrow(CatalogError);
    expect(p.snapshot).toMatchObject({ category: 'garden-tools', version: 2 });
    p.update({ category: null });
    expect(p.snapshot.category).toBeNull();
  });

  it('takes a new picture by its sha256, with a new version; anything else is refused', () => {
    const p = kettle();
    p.changePicture('a'.repeat(64));
    expect(p.snapshot).toMatchObject({ pictureEtag: 'a'.repeat(64), version: 2 });
    expect(() => p.changePicture('not-a-hash')).toThrow(CatalogError);
    expect(p.snapshot.version).toBe(2);
  });

  it('reserves stock and bumps the version', () => {
    const p = kettle();
    p.reserve(5);
    expect(p.snapshot).toMatchObject({ stock: 0, version: 2 });
  });

  it('refuses to reserve more than is in stock, leaving stock as it was', () => {
    const p = kettle();
    expect(() => p.reserve(6)).toThrow(new CatalogError('INSUFFICIENT_STOCK', 'only 5 of KETTLE left, 6 asked'));
    expect(p.snapshot).toMatchObject({ stock: 5, version: 1 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a quantity of %p', (q) => {
    expect(() => kettle().reserve(q)).toThrow(/quantity must be a positive integer/);
    expect(() => kettle().release(q)).toThrow(/quantity must be a positive integer/);
  });

  it('releases stock back', () => {
    const p = kettle();
    p.reserve(2);
    p.release(2);
    expect(p.snapshot).toMatchObject({ stock: 5, version: 3 });
  });

  it('records its creation, handed out once', () => {
    const p = kettle();
    expect(p.pullEvents()).toEqual([{ type: 'created', version: 1 }]);
    expect(p.pullEvents()).toEqual([]);
    expect(ProductEntity.restore(p.snapshot).pullEvents()).toEqual([]);
  });

  it('records each change others may copy at the version it gave: an update, a new picture; a refused one records nothing', () => {
    const p = kettle();
    p.pullEvents();
    p.update({ name: 'Steel kettle' });
    expect(() => p.update({ priceCents: -1 })).toThrow(CatalogError);
    p.changePicture('b'.repeat(64));
    expect(() => p.changePicture('not-a-hash')).toThrow(CatalogError);
    expect(p.pullEvents()).toEqual([
      { type: 'updated', version: 2 },
      { type: 'picture-changed', version: 3 },
    ]);
  });

  it('takes the same picture again as no change: same version, nothing recorded', () => {
    const p = kettle();
    p.changePicture('c'.repeat(64));
    p.pullEvents();
    p.changePicture('c'.repeat(64));
    expect(p.snapshot.version).toBe(2);
    expect(p.pullEvents()).toEqual([]);
  });

  it('records nothing for stock taken or given back for orders (stock is not what others copy)', () => {
    const p = kettle();
    p.pullEvents();
    p.reserve(2);
    p.release(2);
    expect(p.pullEvents()).toEqual([]);
  });

  it('names every invalid field at once', () => {
    expect(() =>
      ProductEntity.create({ id: 'p', sku: '', name: '', priceCents: -5, currency: 'euro', stock: 1.5 }),
    ).toThrow('sku must be 1 to 64 characters; name must be 1 to 200 characters; priceCents must be an integer from 0 to 10000000000; currency must be an ISO 4217 code such as EUR; stock must be an integer from 0 to 1000000000');
  });

  it('applies an update only when the result is valid', () => {
    const p = kettle();
    expect(() => p.update({ priceCents: -1 })).toThrow(CatalogError);
    expect(p.snapshot.priceCents).toBe(4999);
    p.update({ priceCents: 3999, name: 'Steel kettle' });
    expect(p.snapshot).toMatchObject({ priceCents: 3999, name: 'Steel kettle', version: 2 });
  });
});
