import { OrderEntity } from '@shop/order/domain';
import { createPool, Database, StatementCounts } from '@shop/platform/database';
import { Outbox, UnitOfWork } from '@shop/platform/messaging';
import { describeServiceSchema } from '@shop/testing';
import { OrderPrismaClient, PgIdempotencyKeyRepository, PgOrderRepository, PgProductSnapshotRepository } from './index';

/** Besides what every service's schema has (see describeServiceSchema), the order service's own models, rules and repositories. */
describeServiceSchema('order', 'orders', OrderPrismaClient, ({ client, db }) => {
  let prisma: OrderPrismaClient;
  let database: Database;
  let unitOfWork: UnitOfWork;
  const counts: StatementCounts = { statements: 0, transactions: 0 };
  const repo = new PgOrderRepository();

  const place = (id: string, customerId = 'c-1') =>
    OrderEntity.place({
      id,
      customerId,
      items: [{ productId: '1e4d9b0f-2c3d-4e5f-9a0b-1c2d3e4f5a61', name: 'Kettle', unitPriceCents: 4999, quantity: 2 }],
      currency: 'EUR',
      shippingAddress: { name: 'Ada', line1: '1 Loop St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken: 'tok_visa',
      now: new Date('2026-11-22T12:00:00.000Z'),
    });

  beforeAll(() => {
    prisma = client();
    database = new Database(createPool({ url: db().urlFor('order'), schema: 'orders' }, counts));
    unitOfWork = new UnitOfWork(database, new Outbox({ source: 'order', schema: 'orders' }));
  });

  afterAll(() => database.pool.end());

  it('places an order, its items, its history and its outbox row in one statement', async () => {
    const order = place('0d3c8a9e-1b2c-4d3e-8f9a-0b1c2d3e4f50');
    const before = { ...counts };
    await unitOfWork.run(async (tx) => {
      repo.add(tx, order);
      tx.publish({ type: 'order.shipped', aggregateId: order.snapshot.id, aggregateVersion: 1, data: { orderId: order.snapshot.id, customerId: 'c-1' } });
    });
    expect({ statements: counts.statements - before.statements, transactions: counts.transactions - before.transactions }).toEqual({ statements: 1, transactions: 1 });
    expect(await prisma.outbox.count({ where: { key: order.snapshot.id } })).toBe(1);
  });

  it('reloads an order locked with items and history, and saves a transition and its history', async () => {
    const order = place('5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d');
    await unitOfWork.run(async (tx) => repo.add(tx, order));
    await unitOfWork.run(async (tx) => {
      const loaded = await repo.lock(tx, order.snapshot.id);
      if (!loaded) throw new Error('not found');
      loaded.stockReserved(new Date('2026-11-22T12:00:01.000Z'));
      repo.save(tx, loaded);
    });
    const again = await unitOfWork.run((tx) => repo.lock(tx, order.snapshot.id));
    expect(again?.snapshot).toMatchObject({
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
    // A stale writer (loaded at version 1) cannot overwrite it, and no status can be recorded twice.
    const stale = OrderEntity.restore({ ...order.snapshot });
    stale.stockRejected(new Date());
    await expect(unitOfWork.run(async (tx) => repo.save(tx, stale))).rejects.toThrow('changed concurrently');
    await expect(prisma.orderStatusChange.create({ data: { orderId: order.snapshot.id, status: 'PENDING', at: new Date() } })).rejects.toMatchObject({
      code: 'P2002',
    });
    expect((await unitOfWork.run((tx) => repo.lock(tx, order.snapshot.id)))?.snapshot.status).toBe('AWAITING_PAYMENT');
  });

  it('keeps a snapshot at its newest version, and answers an idempotency key with its first request', async () => {
    const snapshots = new PgProductSnapshotRepository(database);
    const productId = '2f5e0c1a-3d4e-4f6a-8b1c-2d3e4f5a6b72';
    const v = (productVersion: number, priceCents: number) => ({ productId, sku: 'S', name: 'N', priceCents, currency: 'EUR', productVersion });
    const changed: boolean[] = [];
    await unitOfWork.run(async (tx) => {
      snapshots.upsert(tx, v(3, 10), (c) => changed.push(c));
      snapshots.upsert(tx, v(2, 99), (c) => changed.push(c)); // older: must not win, even in the same unit
    });
    expect(changed).toEqual([true, false]);
    expect((await snapshots.findMany([productId])).get(productId)).toMatchObject({ priceCents: 10, productVersion: 3 });

    const keys = new PgIdempotencyKeyRepository();
    const key = { customerId: 'c', key: 'k', requestHash: 'h', orderId: productId };
    expect(await unitOfWork.run((tx) => keys.claim(tx, key))).toEqual({ claimed: true, orderId: productId, requestHash: 'h' });
    expect(await unitOfWork.run((tx) => keys.claim(tx, { ...key, requestHash: 'h2', orderId: '3a6f1d2b-4e5f-4a7b-8c2d-3e4f5a6b7c83' }))).toEqual({
      claimed: false,
      orderId: productId,
      requestHash: 'h',
    });
  });

  it('refuses negative quantities and totals at the database too', async () => {
    await expect(prisma.$executeRawUnsafe(`update order_items set quantity = 0`)).rejects.toThrow(/order_items_quantity_check/);
  });
});
