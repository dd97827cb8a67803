import { CatalogError } from './catalog.errors';
import { ProductEntity } from './product.entity';
import { StockReservationEntity } from './stock-reservation.entity';

const product = (id: string, stock: number) => ProductEntity.create({ id, sku: id.toUpperCase(), name: id, priceCents: 1000, currency: 'EUR', stock });
const shelf = (...products: ProductEntity[]) => new Map(products.map((p) => [p.snapshot.id, p]));
const stocks = (products: Map<string, ProductEntity>) => [...products.values()].map((p) => [p.snapshot.stock, p.snapshot.version]);

describe('StockReservationEntity', () => {
  describe('decide', () => {
    it('takes every item when all fit: RESERVED at version 1, the products lose their stock, and it records what it holds', () => {
      const products = shelf(product('kettle', 5), product('mug', 1));
      const r = StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }], products);
      expect(r.snapshot).toEqual({ orderId: 'o1', status: 'RESERVED', items: [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }] });
      expect(r.version).toBe(1);
      expect(r.holdsStock).toBe(true);
      expect(stocks(products)).toEqual([[3, 2], [0, 2]]);
      expect(r.pullEvents()).toEqual([{ type: 'reserved', version: 1, items: [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }] }]);
      expect(r.pullEvents()).toEqual([]);
    });

    it('keeps product and quantity only of what the order asked (an order line carries its price too)', () => {
      const line = { productId: 'kettle', quantity: 1, unitPriceCents: 1000 };
      const r = StockReservationEntity.decide('o1', [line], shelf(product('kettle', 5)));
      expect(r.snapshot.items).toEqual([{ productId: 'kettle', quantity: 1 }]);
    });

    it('takes nothing when one item falls short, and is REJECTED naming it as OUT_OF_STOCK', () => {
      const products = shelf(product('kettle', 5), product('mug', 1));
      const r = StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 2 }], products);
      expect(r.snapshot).toMatchObject({ status: 'REJECTED', items: [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 2 }] });
      expect(r.holdsStock).toBe(false);
      expect(stocks(products)).toEqual([[5, 1], [1, 1]]);
      expect(r.pullEvents()).toEqual([{ type: 'rejected', version: 1, reason: 'OUT_OF_STOCK', productIds: ['mug'] }]);
    });

    it('rejects an order for a product it does not know as UNKNOWN_PRODUCT, naming each unknown one once, before looking at stock', () => {
      const products = shelf(product('kettle', 0));
      const asked = [{ productId: 'kettle', quantity: 1 }, { productId: 'ghost', quantity: 1 }, { productId: 'ghost', quantity: 2 }];
      const r = StockReservationEntity.decide('o1', asked, products);
      expect(r.status).toBe('REJECTED');
      expect(r.pullEvents()).toEqual([{ type: 'rejected', version: 1, reason: 'UNKNOWN_PRODUCT', productIds: ['ghost'] }]);
    });

    it('counts a product listed twice as both quantities: all of them, or none', () => {
      const tooMany = shelf(product('kettle', 5));
      const rejected = StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 3 }, { productId: 'kettle', quantity: 3 }], tooMany);
      expect(rejected.pullEvents()).toEqual([{ type: 'rejected', version: 1, reason: 'OUT_OF_STOCK', productIds: ['kettle'] }]);
      expect(stocks(tooMany)).toEqual([[5, 1]]);

      const enough = shelf(product('kettle', 5));
      expect(StockReservationEntity.decide('o2', [{ productId: 'kettle', quantity: 2 }, { productId: 'kettle', quantity: 3 }], enough).status).toBe('RESERVED');
      expect(stocks(enough)).toEqual([[0, 3]]);
    });

    it('refuses a quantity that is not a positive integer as the product does, taking nothing', () => {
      const products = shelf(product('kettle', 5));
      expect(() => StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 0 }], products)).toThrow(CatalogError);
      expect(stocks(products)).toEqual([[5, 1]]);
    });
  });

  describe('release', () => {
    const reserved = () => {
      const products = shelf(product('kettle', 5), product('mug', 1));
      const r = StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }], products);
      r.pullEvents();
      return { r, products };
    };

    it('gives back exactly what it held: RELEASED at version 2, recording the items', () => {
      const { r, products } = reserved();
      expect(r.productIds).toEqual(['kettle', 'mug']);
      r.release(products);
      expect(r.snapshot.status).toBe('RELEASED');
      expect(r.version).toBe(2);
      expect(stocks(products)).toEqual([[5, 3], [1, 3]]);
      expect(r.pullEvents()).toEqual([{ type: 'released', version: 2, items: [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }] }]);
    });

    it('gives back once: a second release changes and records nothing', () => {
      const { r, products } = reserved();
      r.release(products);
      r.pullEvents();
      r.release(products);
      expect(r.holdsStock).toBe(false);
      expect(r.productIds).toEqual([]);
      expect(stocks(products)).toEqual([[5, 3], [1, 3]]);
      expect(r.pullEvents()).toEqual([]);
    });

    it('gives nothing back for a rejected order', () => {
      const products = shelf(product('kettle', 1));
      const r = StockReservationEntity.decide('o1', [{ productId: 'kettle', quantity: 2 }], products);
      r.pullEvents();
      r.release(products);
      expect(r.snapshot.status).toBe('REJECTED');
      expect(stocks(products)).toEqual([[1, 1]]);
      expect(r.pullEvents()).toEqual([]);
    });

    it('skips a product that is gone and still gives back the others', () => {
      const { r, products } = reserved();
      products.delete('mug');
      r.release(products);
      expect(stocks(products)).toEqual([[5, 3]]);
      expect(r.pullEvents()).toEqual([expect.objectContaining({ type: 'released', items: [{ productId: 'kettle', quantity: 2 }, { productId: 'mug', quantity: 1 }] })]);
    });

    it('released before the order was decided, it holds nothing and announces nothing', () => {
      const r = StockReservationEntity.releasedBeforeDecided('o1');
      expect(r.snapshot).toEqual({ orderId: 'o1', status: 'RELEASED', items: [] });
      expect(r.holdsStock).toBe(false);
      expect(r.pullEvents()).toEqual([]);
    });
  });

  describe('restore', () => {
    it('knows its version from its state: a decision is 1, the release of one 2, a release before any decision 1', () => {
      const items = [{ productId: 'kettle', quantity: 2 }];
      expect(StockReservationEntity.restore({ orderId: 'o1', status: 'RESERVED', items }).version).toBe(1);
      expect(StockReservationEntity.restore({ orderId: 'o1', status: 'REJECTED', items }).version).toBe(1);
      expect(StockReservationEntity.restore({ orderId: 'o1', status: 'RELEASED', items }).version).toBe(2);
      expect(StockReservationEntity.restore({ orderId: 'o1', status: 'RELEASED', items: [] }).version).toBe(1);
    });

    it('releases a restored reservation at the next version, holding product and quantity only of rows that kept prices too', () => {
      const row = { orderId: 'o1', status: 'RESERVED' as const, items: [{ productId: 'kettle', quantity: 2, unitPriceCents: 1000 }] };
      const products = shelf(product('kettle', 3));
      const r = StockReservationEntity.restore(row);
      r.release(products);
      expect(r.pullEvents()).toEqual([{ type: 'released', version: 2, items: [{ productId: 'kettle', quantity: 2 }] }]);
      expect(stocks(products)).toEqual([[5, 2]]);
    });
  });
});
