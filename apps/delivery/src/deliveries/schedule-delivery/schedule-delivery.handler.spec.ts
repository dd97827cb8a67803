import { randomUUID } from 'node:crypto';
import type { OrderConfirmedV1 } from '@shop/shared/contracts';
import { inMemoryDeliveries } from '../../../test/in-memory-deliveries';
import { DeliveryDueSignal } from '../delivery-due.signal';
import { ScheduleDeliveryHandler } from './schedule-delivery.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryDeliveries();
  const due = new DeliveryDueSignal();
  const raised: number[] = [];
  due.listen(() => raised.push(world.unitOfWork.commits));
  const handler = new ScheduleDeliveryHandler(world.deliveries, due);
  const confirmed: OrderConfirmedV1 = { orderId: randomUUID(), customerId: 'ada', shippingAddress: ADDRESS };
  const schedule = (event = confirmed) => world.unitOfWork.run((tx) => handler.execute(tx, event));
  return { ...world, handler, confirmed, schedule, raised };
}

describe('ScheduleDeliveryHandler', () => {
  it("schedules a confirmed order's one delivery and publishes delivery.scheduled", async () => {
    const { schedule, confirmed, deliveries, unitOfWork } = setup();
    await expect(schedule()).resolves.toBe(true);
    const [delivery] = [...deliveries.rows.values()];
    expect(delivery).toMatchObject({ orderId: confirmed.orderId, status: 'SCHEDULED', shippingAddress: ADDRESS });
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'delivery.scheduled', aggregateId: delivery.id, data: { deliveryId: delivery.id, orderId: confirmed.orderId } }),
    ]);
  });

  it('changes nothing on a second confirmation of the same order', async () => {
    const { schedule, deliveries, unitOfWork } = setup();
    await schedule();
    await expect(schedule()).resolves.toBe(false);
    expect(deliveries.rows.size).toBe(1);
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['delivery.scheduled']);
  });

  it("records the delivery cancelled at once when the customer's cancel came first, so no parcel leaves", async () => {
    const { schedule, confirmed, deliveries, unitOfWork } = setup();
    deliveries.guards.set(confirmed.orderId, { cancelled: true });
    await expect(schedule()).resolves.toBe(false);
    expect([...deliveries.rows.values()]).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
    expect(unitOfWork.envelopes.map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ['delivery.scheduled', undefined],
      ['delivery.cancelled', 'CUSTOMER_REQUEST'],
    ]);
  });

  it('signals a delivery due once its unit has committed, and only for a parcel that will leave', async () => {
    const { handler, schedule, confirmed, deliveries, unitOfWork, raised } = setup();
    const failing = unitOfWork.run(async (tx) => {
      await handler.execute(tx, confirmed);
      throw new Error('the batch failed');
    });
    await expect(failing).rejects.toThrow('the batch failed');
    expect([raised, deliveries.rows.size]).toEqual([[], 0]);
    await schedule();
    expect(raised).toEqual([1]);
    await schedule();
    const cancelledFirst = { ...confirmed, orderId: randomUUID() };
    deliveries.guards.set(cancelledFirst.orderId, { cancelled: true });
    await schedule(cancelledFirst);
    expect(raised).toEqual([1]);
  });
});
