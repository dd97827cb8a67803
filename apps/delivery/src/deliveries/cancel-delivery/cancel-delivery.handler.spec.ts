import { randomUUID } from 'node:crypto';
import { DeliveryEntity } from '@shop/delivery/domain';
import type { OrderCancelRequestedV1 } from '@shop/shared/contracts';
import { inMemoryDeliveries } from '../../../test/in-memory-deliveries';
import { CancelDeliveryHandler } from './cancel-delivery.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

function setup() {
  const world = inMemoryDeliveries();
  const handler = new CancelDeliveryHandler(world.deliveries);
  const request: OrderCancelRequestedV1 = { orderId: randomUUID(), customerId: 'ada', reason: 'CUSTOMER_REQUEST' };
  /** The order's delivery, stored as it is after `steps`. */
  const stored = (...steps: Array<(d: DeliveryEntity, at: Date) => void>) => {
    const delivery = DeliveryEntity.schedule({ id: randomUUID(), orderId: request.orderId, customerId: 'ada', shippingAddress: ADDRESS, at: new Date() });
    for (const step of steps) step(delivery, new Date());
    world.deliveries.rows.set(delivery.snapshot.id, structuredClone(delivery.snapshot));
    return delivery.snapshot.id;
  };
  const cancel = () => world.unitOfWork.run((tx) => handler.execute(tx, request));
  return { ...world, request, stored, cancel };
}

describe('CancelDeliveryHandler', () => {
  it('calls off a delivery still SCHEDULED and publishes delivery.cancelled, so the order is cancelled and compensated', async () => {
    const { cancel, stored, deliveries, unitOfWork, request } = setup();
    const id = stored();
    await cancel();
    expect(deliveries.rows.get(id)?.status).toBe('CANCELLED');
    expect(unitOfWork.envelopes).toEqual([
      expect.objectContaining({ type: 'delivery.cancelled', data: { deliveryId: id, orderId: request.orderId, reason: 'CUSTOMER_REQUEST' } }),
    ]);
  });

  it('lets a parcel that has left stand: no event, the order ships on its delivery.dispatched', async () => {
    const { cancel, stored, deliveries, unitOfWork } = setup();
    const id = stored((d, at) => d.dispatch(at));
    await cancel();
    expect(deliveries.rows.get(id)?.status).toBe('DISPATCHED');
    expect(unitOfWork.published).toEqual([]);
  });

  it('marks the guard when no delivery exists yet, so the confirmation that comes later records it cancelled', async () => {
    const { cancel, deliveries, unitOfWork, request } = setup();
    await cancel();
    expect(deliveries.guards.get(request.orderId)).toEqual({ cancelled: true });
    expect(deliveries.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('changes nothing for a delivery already cancelled (the request delivered twice)', async () => {
    const { cancel, stored, unitOfWork } = setup();
    stored();
    await cancel();
    await cancel();
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['delivery.cancelled']);
  });
});
