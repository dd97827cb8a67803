import { DeliveryPrismaClient } from './index';
import { describeServiceSchema } from '@shop/testing';

/** Besides what every service's schema has (see describeServiceSchema), the delivery service's own models and rules. */
describeServiceSchema('delivery', 'deliveries', DeliveryPrismaClient, ({ client }) => {
  let prisma: DeliveryPrismaClient;
  const address = { name: 'Ada', line1: '1 Main St', city: 'Seoul', postalCode: '04524', country: 'KR' };

  beforeAll(() => {
    prisma = client();
  });

  it('round-trips every field of Delivery through each status', async () => {
    const id = '3c1e6f0a-8b2d-4e5f-9a1b-2c3d4e5f6a01';
    const orderId = '3c1e6f0a-8b2d-4e5f-9a1b-2c3d4e5f6a02';
    const created = await prisma.delivery.create({
      data: { id, orderId, customerId: 'customer-1', status: 'SCHEDULED', shippingAddress: address },
    });
    expect(created).toMatchObject({
      id,
      orderId,
      customerId: 'customer-1',
      status: 'SCHEDULED',
      shippingAddress: address,
      dispatchedAt: null,
      deliveredAt: null,
      cancelledAt: null,
      version: 1,
    });
    expect(created.createdAt).toBeInstanceOf(Date);

    const dispatchedAt = new Date('2026-12-01T10:00:03.123Z');
    const dispatched = await prisma.delivery.update({ where: { id }, data: { status: 'DISPATCHED', dispatchedAt, version: 2 } });
    expect(dispatched).toMatchObject({ status: 'DISPATCHED', dispatchedAt, version: 2 });
    expect(dispatched.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const deliveredAt = new Date('2026-12-01T10:00:08.456Z');
    const delivered = await prisma.delivery.update({ where: { orderId }, data: { status: 'DELIVERED', deliveredAt, version: 3 } });
    expect(delivered).toMatchObject({ status: 'DELIVERED', dispatchedAt, deliveredAt, version: 3 });

    const cancelledId = '3c1e6f0a-8b2d-4e5f-9a1b-2c3d4e5f6a03';
    const cancelledAt = new Date('2026-12-01T10:00:01.000Z');
    await prisma.delivery.create({
      data: { id: cancelledId, orderId: cancelledId, customerId: 'customer-1', status: 'CANCELLED', cancelledAt, shippingAddress: address },
    });
    const due = await prisma.delivery.findMany({ where: { status: { in: ['DELIVERED', 'CANCELLED'] } }, orderBy: [{ status: 'asc' }, { createdAt: 'asc' }] });
    expect(due.map((d) => [d.status, d.cancelledAt])).toEqual([
      ['DELIVERED', null],
      ['CANCELLED', cancelledAt],
    ]);
  });

  it('keeps one delivery per order, whatever the application does', async () => {
    const orderId = '4d2f7a1b-9c3e-4f6a-8b2c-3d4e5f6a7b01';
    const base = { orderId, customerId: 'c', status: 'SCHEDULED' as const, shippingAddress: address };
    await prisma.delivery.create({ data: { ...base, id: '4d2f7a1b-9c3e-4f6a-8b2c-3d4e5f6a7b02' } });
    await expect(prisma.delivery.create({ data: { ...base, id: '4d2f7a1b-9c3e-4f6a-8b2c-3d4e5f6a7b03' } })).rejects.toMatchObject({ code: 'P2002' });
    const skipped = await prisma.delivery.createMany({ data: [{ ...base, id: '4d2f7a1b-9c3e-4f6a-8b2c-3d4e5f6a7b04' }], skipDuplicates: true });
    expect(skipped.count).toBe(0);
    expect(await prisma.delivery.count({ where: { orderId } })).toBe(1);
  });

  it('refuses a status without the timestamps of the steps that led to it', async () => {
    const base = { customerId: 'c', shippingAddress: address };
    const id = (n: number) => `5e3a8b2c-0d4f-4a7b-9c3d-4e5f6a7b8c0${n}`;
    await expect(prisma.delivery.create({ data: { ...base, id: id(1), orderId: id(1), status: 'DISPATCHED' } })).rejects.toThrow(/deliveries_status_steps_check/);
    await expect(
      prisma.delivery.create({ data: { ...base, id: id(2), orderId: id(2), status: 'DELIVERED', dispatchedAt: new Date() } }),
    ).rejects.toThrow(/deliveries_status_steps_check/);
    await expect(
      prisma.delivery.create({ data: { ...base, id: id(3), orderId: id(3), status: 'CANCELLED', cancelledAt: new Date(), dispatchedAt: new Date() } }),
    ).rejects.toThrow(/deliveries_status_steps_check/);
    await expect(
      prisma.delivery.create({ data: { ...base, id: id(4), orderId: id(4), status: 'SCHEDULED', cancelledAt: new Date() } }),
    ).rejects.toThrow(/deliveries_status_steps_check/);
  });

  it('round-trips the order guard, once per order', async () => {
    const orderId = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
    expect(await prisma.orderGuard.create({ data: { orderId } })).toEqual({ orderId, cancelledAt: null });
    expect(await prisma.orderGuard.update({ where: { orderId }, data: { cancelledAt: new Date() } })).toEqual({ orderId, cancelledAt: expect.any(Date) });
    expect((await prisma.orderGuard.createMany({ data: [{ orderId }], skipDuplicates: true })).count).toBe(0);
  });
});
