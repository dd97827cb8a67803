import { randomUUID } from 'node:crypto';
import type { OrderConfirmedV1 } from '@shop/shared/contracts';
import { inMemoryDeliveries } from '../../../test/in-memory-deliveries';
import { ScheduleDeliveryHandler } from './schedule-delivery.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryDeliveries();
  const handler = new ScheduleDeliveryHandler(world.deliveries);
  const confirmed: OrderConfirmedV1 = { orderId: randomUUID(), customerId: 'ada', shippingAddress: ADDRESS };
  const schedule = (event = confirmed) => world.unitOfWork.run((tx) => handler.execute(tx, event));
  return { ...world, confirmed, schedule };
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
});
