import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { OrderEntity } from '@shop/order/domain';
import { createPool, Database } from '@shop/platform/database';
import { Outbox, UnitOfWork } from '@shop/platform/messaging';
import { createTestDatabase, TestDatabase } from '@shop/testing';
import { PgOrderRepository } from './pg-order.repository';

/** The order repository's own SQL against a real schema, as it runs during a rolling deploy. */
describe('order repository (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let unitOfWork: UnitOfWork;
  const orders = new PgOrderRepository();

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.migrate('order');
    // One connection: the statement prepared by the first lock is the one the second lock reuses.
    pool = createPool({ url: db.urlFor('order'), schema: 'orders', max: 1 });
    unitOfWork = new UnitOfWork(new Database(pool), new Outbox({ source: 'order', schema: 'orders' }));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('keeps loading orders on a connection that prepared its statements before a migration added a column', async () => {
    const order = OrderEntity.place({
      id: randomUUID(),
      customerId: 'c-1',
      items: [{ productId: randomUUID(), name: 'Kettle', unitPriceCents: 100, quantity: 1 }],
      currency: 'EUR',
      shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'DE' },
      paymentToken: 'tok',
      now: new Date(),
    });
    await unitOfWork.run(async (tx) => orders.add(tx, order));
    const lock = () => unitOfWork.run((tx) => orders.lock(tx, order.snapshot.id));
    expect((await lock())?.snapshot.status).toBe('PENDING');
    // What a newer release's migration does while this one still runs.
    await pool.query('alter table orders add column gift_wrap boolean');
    expect((await lock())?.snapshot.status).toBe('PENDING');
  });
});
