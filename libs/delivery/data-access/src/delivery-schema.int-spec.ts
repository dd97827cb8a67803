import { join } from 'node:path';
import { createTestDatabase, TestDatabase, workspaceRoot } from '@shop/testing';
import { createPgAdapter, readMigrations } from '@shop/platform/database';
import { DeliveryPrismaClient } from './index';

/**
 * The SQL migrations and schema.prisma must describe the same tables: migrate
 * an empty schema from the SQL files alone, then use every model and field
 * through the generated client.
 */
const migrationsDir = join(workspaceRoot(), 'libs', 'delivery', 'data-access', 'prisma', 'migrations');

describe('delivery migrations agree with schema.prisma', () => {
  let db: TestDatabase;
  let prisma: DeliveryPrismaClient;
  const address = { name: 'Ada', line1: '1 Main St', city: 'Seoul', postalCode: '04524', country: 'KR' };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('delivery');
    prisma = new DeliveryPrismaClient({ adapter: createPgAdapter({ url: db.urlFor('delivery'), schema: 'deliveries' }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('lands in the deliveries schema as the delivery role', async () => {
    const [row] = await prisma.$queryRawUnsafe<Array<{ schema: string; role: string }>>(
      'select current_schema() as schema, current_user as role',
    );
    expect(row).toEqual({ schema: 'deliveries', role: 'svc_delivery' });
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

  it('round-trips the outbox and the inbox', async () => {
    const eventId = '6f4b9c3d-1e5a-4b8c-8d4e-5f6a7b8c9d01';
    const row = await prisma.outbox.create({ data: { id: eventId, topic: 't', key: 'k', type: 'x.y', payload: { a: 1 }, headers: { h: 'v' } } });
    expect(row).toMatchObject({ id: eventId, payload: { a: 1 }, headers: { h: 'v' }, publishedAt: null });
    expect(typeof row.seq).toBe('bigint');
    const published = await prisma.outbox.update({ where: { id: eventId }, data: { publishedAt: new Date() } });
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect(await prisma.outbox.findMany({ where: { key: 'k' }, orderBy: { seq: 'asc' } })).toHaveLength(1);
    await prisma.inbox.create({ data: { consumerGroup: 'delivery', eventId, eventType: 'x.y' } });
    await expect(prisma.inbox.create({ data: { consumerGroup: 'delivery', eventId, eventType: 'x.y' } })).rejects.toMatchObject({ code: 'P2002' });
    const [inbox] = await prisma.inbox.findMany();
    expect(inbox).toMatchObject({ consumerGroup: 'delivery', eventId, eventType: 'x.y' });
    expect(inbox.processedAt).toBeInstanceOf(Date);
  });

  it('round-trips the order cancellation mark, once per order', async () => {
    const orderId = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
    const mark = await prisma.orderCancellation.create({ data: { orderId } });
    expect(mark).toEqual({ orderId, cancelledAt: expect.any(Date) });
    expect((await prisma.orderCancellation.createMany({ data: [{ orderId }], skipDuplicates: true })).count).toBe(0);
  });

  it('is recorded in _prisma_migrations like Prisma Migrate would, and applies nothing the second time', async () => {
    const rows = await prisma.$queryRawUnsafe<Array<{ migration_name: string; finished: boolean; checksum: string }>>(
      'select migration_name, finished_at is not null as finished, checksum from _prisma_migrations order by migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations(migrationsDir).map((m) => m.name));
    expect(rows[0]).toMatchObject({ finished: true });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    await db.migrate('delivery');
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>('select count(*) as count from _prisma_migrations');
    expect(Number(count)).toBe(readMigrations(migrationsDir).length);
  });

  it('round-trips the dead-letter replay marks', async () => {
    await prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.delivery.dlt', partition: 2, offset: 9007199254740993n } });
    const [mark] = await prisma.deadLetterReplay.findMany();
    expect(mark).toEqual({ topic: 'a.b.v1.delivery.dlt', partition: 2, offset: 9007199254740993n, replayedAt: expect.any(Date) });
    await expect(
      prisma.deadLetterReplay.create({ data: { topic: 'a.b.v1.delivery.dlt', partition: 2, offset: 9007199254740993n } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

});
