import { Injectable } from '@nestjs/common';
import { DeliveryError, DeliveryRepository } from '@shop/delivery/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import type { DeliveryView } from '@shop/shared/contracts';
import { DeliveryDueSignal } from '../delivery-due.signal';
import { toDeliveryView } from '../delivery.mapper';
import { advanceDelivery } from './advance-delivery.step';

/** An admin moves a delivery one courier step, whatever the delays: the same step, unit of work and event as the courier's. */
@Injectable()
export class AdvanceDeliveryHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly deliveries: DeliveryRepository<UnitTx>,
    private readonly due: DeliveryDueSignal,
  ) {}

  async execute(id: string): Promise<DeliveryView> {
    const delivery = await this.unitOfWork.run(async (tx) => {
      const found = await this.deliveries.lock(tx, id);
      if (!found) throw new DeliveryError('NOT_FOUND', `no delivery with id ${id}`);
      advanceDelivery(tx, this.deliveries, found);
      return found;
    });
    // Dispatched by hand: with a complete delay of 0 the courier delivers it now.
    if (delivery.status === 'DISPATCHED') this.due.raise();
    return toDeliveryView(delivery.snapshot);
  }
}
