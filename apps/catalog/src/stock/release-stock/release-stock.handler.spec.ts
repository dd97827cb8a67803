import { randomUUID } from 'node:crypto';
import type { OrderCancelledV1 } from '@shop/shared/contracts';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { ReserveStockHandler } from '../reserve-stock/reserve-stock.handler';
import { ReleaseStockHandler } from './release-stock.handler';

function setup() {
  const world = inMemoryCatalog();
  const reserveHandler = new ReserveStockHandler(world.products, world.reservations);
  const releaseHandler = new ReleaseStockHandler(world.products, world.reservations);
  const kettle = world.products.stored({ id: randomUUID(), sku: 'KETTLE', name: 'Kettle', priceCents: 1000, currency: 'EUR', stock: 5 }).id;
  const orderId = randomUUID();
  const reserve = (quantity: number) =>
    world.unitOfWork.run((tx) =>
      reserveHandler.execute(tx, { orderId, customerId: 'ada', items: [{ productId: kettle, quantity, unitPriceCents: 1000 }], totalCents: 1000 * quantity, currency: 'EUR' }),
    );
  const cancelled: OrderCancelledV1 = { orderId, customerId: 'ada', reason: 'CUSTOMER_REQUEST', previousStatus: 'AWAITING_PAYMENT' };
  const release = () => world.unitOfWork.run((tx) => releaseHandler.execute(tx, cancelled));
  const stock = () => world.products.rows.get(kettle)?.stock;
  return { ...world, kettle, orderId, reserve, release, stock };
}

describe('ReleaseStockHandler', () => {
  it('gives back exactly what was reserved for the order, once', async () => {
    const { reserve, release, stock, kettle, orderId, reservations, unitOfWork } = setup();
    await reserve(3);
    await release();
    await release();
    expect(stock()).toBe(5);
    expect(reservations.rows.get(orderId)?.status).toBe('RELEASED');
    expect(unitOfWork.envelopes.map((e) => [e.type, e.data])).toEqual([
      ['catalog.stock-reserved', expect.anything()],
      ['catalog.stock-released', { orderId, items: [{ productId: kettle, quantity: 3 }] }],
    ]);
  });

  it('gives nothing back for an order it rejected', async () => {
    const { reserve, release, stock, unitOfWork } = setup();
    await reserve(6);
    await release();
    expect(stock()).toBe(5);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['catalog.stock-rejected']);
  });

  it('leaves a tombstone when the cancel comes first, so the late order.placed takes nothing', async () => {
    const { reserve, release, stock, unitOfWork } = setup();
    await release();
    await reserve(2);
    expect(stock()).toBe(5);
    expect(unitOfWork.published).toEqual([]);
  });
});
