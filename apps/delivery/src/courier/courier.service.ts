import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DeliveryRepository, DueBefore } from '@shop/delivery/domain';
import { UnitOfWork, UnitTx } from '@shop/platform/messaging';
import { COURIER_CONCURRENCY } from '../config/delivery.config';
import { toOutboundEvents } from '../deliveries/delivery.mapper';
import { CourierLoop } from './courier.loop';

export const COURIER_OPTIONS = Symbol('COURIER_OPTIONS');

export interface CourierOptions {
  /** From scheduled to dispatched; 0 at once, -1 never by itself. */
  dispatchDelayMs: number;
  /** From dispatched to delivered; 0 at once, -1 never by itself. */
  completeDelayMs: number;
  pollIntervalMs: number;
  concurrency?: number;
}

/** Deliveries one courier step moves, in one unit of work. */
const STEP_SIZE = 20;

/**
 * The simulated courier: moves due deliveries one step, a few at a time in
 * one unit of work with their outbox events. Rows are claimed with FOR UPDATE
 * SKIP LOCKED, so any number of instances can run it side by side.
 */
@Injectable()
export class CourierService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Courier');
  private readonly loop: CourierLoop;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly deliveries: DeliveryRepository<UnitTx>,
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
  ) {
    this.loop = new CourierLoop({
      pollIntervalMs: options.pollIntervalMs,
      concurrency: options.concurrency ?? COURIER_CONCURRENCY,
      step: () => this.stepOne(),
      onError: (err) => this.log.warn(`courier step failed, retrying at the next poll: ${(err as Error).message}`),
    });
  }

  get automatic(): boolean {
    return this.options.dispatchDelayMs >= 0 || this.options.completeDelayMs >= 0;
  }

  onApplicationBootstrap(): void {
    if (this.automatic) this.loop.start();
  }

  /** Before the database closes (the pool ends last, at application shutdown), so no step is cut off. */
  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** A delivery was scheduled or dispatched: with a delay of 0 its next step is due now. */
  wake(): void {
    if (this.automatic) this.loop.wake();
  }

  /** Claims due deliveries and takes each one's next step; true when it took a full batch, so more may be due. */
  stepOne(now = new Date()): Promise<boolean> {
    return this.unitOfWork.run(async (tx) => {
      const due = await this.deliveries.claimDue(tx, this.dueBefore(now), STEP_SIZE);
      for (const delivery of due) {
        delivery.advance(new Date());
        this.deliveries.save(tx, delivery);
        tx.publish(...toOutboundEvents(delivery, delivery.pullEvents()));
      }
      return due.length === STEP_SIZE;
    });
  }

  private dueBefore(now: Date): DueBefore {
    const { dispatchDelayMs, completeDelayMs } = this.options;
    return {
      scheduled: dispatchDelayMs >= 0 ? new Date(now.getTime() - dispatchDelayMs) : undefined,
      dispatched: completeDelayMs >= 0 ? new Date(now.getTime() - completeDelayMs) : undefined,
    };
  }
}
