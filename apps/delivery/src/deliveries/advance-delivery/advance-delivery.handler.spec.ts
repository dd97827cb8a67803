import { randomUUID } from 'node:crypto';
import { DeliveryEntity } from '@shop/delivery/domain';
import { inMemoryDeliveries } from '../../../test/in-memory-deliveries';
import { DeliveryDueSignal } from '../delivery-due.signal';
import { AdvanceDeliveryHandler } from './advance-delivery.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryDeliveries();
  const wakes: number[] = [];
  // The courier is woken to deliver a parcel dispatched by hand; its own rounds are not this use case.
  const due = new DeliveryDueSignal();
  due.listen(() => wakes.push(Date.now()));
  const handler = new AdvanceDeliveryHandler(world.unitOfWork.asUnitOfWork, world.deliveries, due);
  const delivery = DeliveryEntity.schedule({ id: randomUUID(), orderId: randomUUID(), customerId: 'ada', shippingAddress: ADDRESS, at: new Date() });
  world.deliveries.rows.set(delivery.snapshot.id, structuredClone(delivery.snapshot));
  return { ...world, handler, wakes, id: delivery.snapshot.id };
}

describe('AdvanceDeliveryHandler', () => {
  it('takes the courier’s next step by hand, publishing its event, and wakes the courier once the parcel left', async () => {
    const { handler, id, deliveries, unitOfWork, wakes } = setup();
    expect(await handler.execute(id)).toMatchObject({ id, status: 'DISPATCHED' });
    expect(wakes).toHaveLength(1);
    expect(await handler.execute(id)).toMatchObject({ id, status: 'DELIVERED' });
    expect(wakes).toHaveLength(1);
    expect(deliveries.rows.get(id)).toMatchObject({ status: 'DELIVERED', version: 3 });
    expect(unitOfWork.envelopes.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ['delivery.dispatched', 2],
      ['delivery.delivered', 3],
    ]);
  });

  it('refuses an unknown delivery and one with no step left, and changes nothing', async () => {
    const { handler, id, deliveries, unitOfWork } = setup();
    await expect(handler.execute(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await handler.execute(id);
    await handler.execute(id);
    const delivered = structuredClone(deliveries.rows.get(id));
    await expect(handler.execute(id)).rejects.toMatchObject({ code: 'ALREADY_DELIVERED' });
    expect(deliveries.rows.get(id)).toEqual(delivered);
    expect(unitOfWork.published).toHaveLength(2);
  });
});
