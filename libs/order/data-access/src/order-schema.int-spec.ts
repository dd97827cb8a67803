import { OrderEntity } from '@shop/order/domain';
import { OrderPrismaClient, OrderRepository } from './index';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the order service's own models and rules. */
describeServiceSchema('order', 'orders', OrderPrismaClient, ({ client }) => {
  let prisma: OrderPrismaClient;
  const repo = new OrderRepository();

  beforeAll(() => {
    prisma = client();
  });

  it('stores and reloads an order with items and history, and its transitions', async () => {
    const order = OrderEntity.place({
      id: '0d3c8a9e-1b2c-4d3e-8f9a-0b1c2d3e4f50',
      customerId: 'c-1',
      items: [{ productId: '1e4d9b0f-2c3d-4e5f-9a0b-1c2d3e4f5a61', name: 'Kettle', unitPriceCents: 4999, quantity: 2 }],
      currency: 'EUR',
      shippingAddress: { name: 'Ada', line1: '1 Loop St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken: 'tok_visa',
      now: new Date('2026-11-22T12:00:00.000Z'),
    });
    await prisma.$transaction((tx) => repo.insert(tx, order));
    await prisma.$transaction(async (tx) => {
      const loaded = await repo.load(tx, order.snapshot.id, { lock: true });
      if (!loaded) throw new Error('not found');
      const { version, history } = loaded.snapshot;
      loaded.stockReserved(new Date('2026-11-22T12:00:01.000Z'));
      await repo.save(tx, loaded, version, history.length);
    });
    const again = await repo.find(prisma, order.snapshot.id);
    expect(again).toMatchObject({
      status: 'AWAITING_PAYMENT',
      totalCents: 9998,
      version: 2,
      paymentToken: 'tok_visa',
      shippingAddress: { city: 'Berlin' },
      items: [{ name: 'Kettle', unitPriceCents: 4999, quantity: 2 }],
      history: [
        { status: 'PENDING', at: new Date('2026-11-22T12:00:00.000Z') },
        { status: 'AWAITING_PAYMENT', at: new Date('2026-11-22T12:00:01.000Z') },
      ],
    });
    // A stale writer (same loaded version) cannot overwrite it, and no status can be recorded twice.
    const stale = OrderEntity.restore({ ...order.snapshot });
    stale.stockRejected(new Date());
    await expect(prisma.$transaction((tx) => repo.save(tx, stale, 1, 1))).rejects.toThrow('changed concurrently');
    await expect(
      prisma.orderStatusChange.create({ data: { orderId: order.snapshot.id, status: 'PENDING', at: new Date() } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    expect(await repo.listForCustomer(prisma, 'c-1', { limit: 10 })).toHaveLength(1);
  });

  it('round-trips snapshots and idempotency keys', async () => {
    const productId = '2f5e0c1a-3d4e-4f6a-8b1c-2d3e4f5a6b72';
    await prisma.productSnapshot.create({ data: { productId, sku: 'S', name: 'N', priceCents: 10, currency: 'EUR', productVersion: 3 } });
    expect(await prisma.productSnapshot.findUnique({ where: { productId } })).toMatchObject({ priceCents: 10, productVersion: 3 });
    await prisma.idempotencyKey.create({ data: { customerId: 'c', key: 'k', requestHash: 'h', orderId: productId } });
    await expect(prisma.idempotencyKey.create({ data: { customerId: 'c', key: 'k', requestHash: 'h2', orderId: productId } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('refuses negative quantities and totals at the database too', async () => {
    await expect(
      prisma.$executeRawUnsafe(`update order_items set quantity = 0`),
    ).rejects.toThrow(/order_items_quantity_check/);
  });
});
