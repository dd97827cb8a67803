import { Injectable } from '@nestjs/common';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { ProblemException } from '@shop/platform/http';
import type { DeliveryView } from '@shop/shared/contracts';
import { CourierService } from '../../courier/courier.service';
import { toDeliveryView } from '../delivery.mapper';
import { DeliveryRepository } from '../delivery.repository';

/** An admin moves a delivery one courier step, whatever the delays: the same step, transaction and event as the courier's. */
@Injectable()
export class AdvanceDeliveryHandler {
  constructor(
    private readonly db: DeliveryPrismaService,
    private readonly deliveries: DeliveryRepository,
    private readonly courier: CourierService,
  ) {}

  async execute(id: string): Promise<DeliveryView> {
    const record = await this.db.$transaction(async (tx) => {
      const delivery = await this.deliveries.lock(tx, { id });
      if (!delivery) throw new ProblemException(404, `no delivery with id ${id}`);
      delivery.advance(new Date());
      return this.deliveries.save(tx, delivery);
    });
    // Dispatched by hand: with a complete delay of 0 the courier delivers it now.
    if (record.status === 'DISPATCHED') this.courier.wake();
    return toDeliveryView(record);
  }
}
