import { randomUUID } from 'node:crypto';
import { DeliveryEntity } from '@shop/delivery/domain';
import { inMemoryDeliveries } from '../../../test/in-memory-deliveries';
import { AdvanceDueDeliveriesHandler, DUE_STEP_SIZE } from './advance-due-deliveries.handler';

const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const MINUTE = 60_000;

function setup() {
  const world = inMemoryDeliveries();
  const handler = new AdvanceDueDeliveriesHandler(world.unitOfWork.asUnitOfWork, world.deliveries);
  /** A delivery scheduled `ago` ms before now, dispatched too when asked. */
  const stored = (ago: number, dispatched = false): string => {
    const at = new Date(Date.now() - ago);
    const delivery = DeliveryEntity.schedule({ id: randomUUID(), orderId: randomUUID(), customerId: 'ada', shippingAddress: ADDRESS, at });
    if (dispatched) delivery.advance(at);
    world.deliveries.rows.set(delivery.snapshot.id, structuredClone(delivery.snapshot));
    return delivery.snapshot.id;
  };
  return { ...world, handler, stored };
}

describe('AdvanceDueDeliveriesHandler (the courier’s round)', () => {
  it('takes the next step of every due delivery in one unit, publishing each one’s event, and leaves the rest alone', async () => {
    const { handler, stored, deliveries, unitOfWork } = setup();
    const toDispatch = stored(10 * MINUTE);
    const toDeliver = stored(10 * MINUTE, true);
    const notYet = stored(0);
    const cutOff = new Date(Date.now() - MINUTE);
    await expect(handler.execute({ scheduled: cutOff, dispatched: cutOff })).resolves.toBe(false);
    expect([toDispatch, toDeliver, notYet].map((id) => deliveries.rows.get(id)?.status)).toEqual(['DISPATCHED', 'DELIVERED', 'SCHEDULED']);
    expect(unitOfWork.commits).toBe(1);
    expect(unitOfWork.envelopes.map((e) => [e.type, e.aggregateId]).sort()).toEqual(
      [
        ['delivery.delivered', toDeliver],
        ['delivery.dispatched', toDispatch],
      ].sort(),
    );
  });

  it('never takes a step whose delay is off (no cut-off)', async () => {
    const { handler, stored, deliveries, unitOfWork } = setup();
    const scheduled = stored(10 * MINUTE);
    const dispatched = stored(10 * MINUTE, true);
    await expect(handler.execute({ dispatched: new Date() })).resolves.toBe(false);
    expect([deliveries.rows.get(scheduled)?.status, deliveries.rows.get(dispatched)?.status]).toEqual(['SCHEDULED', 'DELIVERED']);
    await handler.execute({});
    expect(deliveries.rows.get(scheduled)?.status).toBe('SCHEDULED');
    expect(unitOfWork.envelopes.map((e) => e.type)).toEqual(['delivery.delivered']);
  });

  it('says more may be due after a full round, and moves the backlog round by round', async () => {
    const { handler, stored, deliveries, unitOfWork } = setup();
    for (let i = 0; i < DUE_STEP_SIZE + 5; i++) stored(MINUTE);
    const now = { scheduled: new Date() };
    await expect(handler.execute(now)).resolves.toBe(true);
    expect([...deliveries.rows.values()].filter((d) => d.status === 'DISPATCHED')).toHaveLength(DUE_STEP_SIZE);
    await expect(handler.execute(now)).resolves.toBe(false);
    expect([...deliveries.rows.values()].every((d) => d.status === 'DISPATCHED')).toBe(true);
    expect(unitOfWork.published).toHaveLength(DUE_STEP_SIZE + 5);
  });
});
