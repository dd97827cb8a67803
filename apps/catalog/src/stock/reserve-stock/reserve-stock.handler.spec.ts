import { randomUUID } from 'node:crypto';
import type { OrderPlacedV1 } from '@shop/shared/contracts';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { ReserveStockHandler } from './reserve-stock.handler';

function setup() {
  const world = inMemoryCatalog();
  const handler = new ReserveStockHandler(world.products, world.reservations);
  const product = (sku: string, stock: number) => world.products.stored({ id: randomUUID(), sku, name: sku, priceCents: 1000, currency: 'EUR', stock }).id;
  const kettle = product('KETTLE', 5);
  const mug = product('MUG', 1);
  const placed = (items: Array<{ productId: string; quantity: number }>): OrderPlacedV1 => ({
    orderId: randomUUID(),
    customerId: 'ada',
    items: items.map((i) => ({ ...i, unitPriceCents: 1000 })),
    totalCents: 1000 * items.reduce((n, i) => n + i.quantity, 0),
    currency: 'EUR',
  });
  const reserve = (order: OrderPlacedV1) => world.unitOfWork.run((tx) => handler.execute(tx, order));
  const stock = (id: string) => world.products.rows.get(id)?.stock;
  return { ...world, kettle, mug, placed, reserve, stock };
}

describe('ReserveStockHandler', () => {
  it('reserves every item of an order and publishes catalog.stock-reserved', async () => {
    const { reserve, placed, kettle, mug, stock, reservations, unitOfWork } = setup();
    const order = placed([{ productId: kettle, quantity: 2 }, { productId: mug, quantity: 1 }]);
    await reserve(order);
    expect([stock(kettle), stock(mug)]).toEqual([3, 0]);
    expect(reservations.rows.get(order.orderId)).toMatchObject({ status: 'RESERVED' });
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'catalog.stock-reserved', data: { orderId: order.orderId, items: [{ productId: kettle, quantity: 2 }, { productId: mug, quantity: 1 }] } }),
    ]);
  });

  it('takes nothing when one item falls short, and rejects the order naming it', async () => {
    const { reserve, placed, kettle, mug, stock, reservations, unitOfWork } = setup();
    const order = placed([{ productId: kettle, quantity: 2 }, { productId: mug, quantity: 2 }]);
    await reserve(order);
    expect([stock(kettle), stock(mug)]).toEqual([5, 1]);
    expect(reservations.rows.get(order.orderId)).toMatchObject({ status: 'REJECTED' });
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'catalog.stock-rejected', data: { orderId: order.orderId, reason: 'OUT_OF_STOCK', productIds: [mug] } }),
    ]);
  });

  it('rejects an order for a product it does not know, naming it', async () => {
    const { reserve, placed, kettle, stock, unitOfWork } = setup();
    const unknown = randomUUID();
    await reserve(placed([{ productId: kettle, quantity: 1 }, { productId: unknown, quantity: 1 }]));
    expect(stock(kettle)).toBe(5);
    expect(unitOfWork.envelopes.map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'UNKNOWN_PRODUCT', productIds: [unknown] })]);
  });

  it('decides an order once: a republished order.placed changes nothing', async () => {
    const { reserve, placed, kettle, stock, unitOfWork } = setup();
    const order = placed([{ productId: kettle, quantity: 2 }]);
    await reserve(order);
    await reserve(order);
    expect(stock(kettle)).toBe(3);
    expect(unitOfWork.published).toHaveLength(1);
  });

  it('takes the same product listed twice in one order as both quantities, or none', async () => {
    const { reserve, placed, kettle, stock } = setup();
    await reserve(placed([{ productId: kettle, quantity: 3 }, { productId: kettle, quantity: 3 }]));
    expect(stock(kettle)).toBe(5);
    await reserve(placed([{ productId: kettle, quantity: 2 }, { productId: kettle, quantity: 3 }]));
    expect(stock(kettle)).toBe(0);
  });
});
