import { Injectable } from '@nestjs/common';
import { DeliveryRepository, DueBefore } from '@shop/delivery/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import { advanceDelivery } from './advance-delivery.step';

/** Deliveries one round moves, in one unit of work. */
export const DUE_STEP_SIZE = 20;

/**
 * The courier's round: claims deliveries due for their next step and takes
 * it for each, a few in one unit of work with their outbox events. Rows are
 * claimed with FOR UPDATE SKIP LOCKED, so any number of rounds (and
 * instances) run side by side without taking a delivery twice, and a round
 * never waits for a row an admin's advance or a cancel holds.
 */
@Injectable()
export class AdvanceDueDeliveriesHandler {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly deliveries: DeliveryRepository<UnitTx>,
  ) {}

  /** True when it took a full round, so more may be due. */
  execute(dueBefore: DueBefore): Promise<boolean> {
    return this.unitOfWork.run(async (tx) => {
      const due = await this.deliveries.claimDue(tx, dueBefore, DUE_STEP_SIZE);
      for (const delivery of due) advanceDelivery(tx, this.deliveries, delivery);
      return due.length === DUE_STEP_SIZE;
    });
  }
}
