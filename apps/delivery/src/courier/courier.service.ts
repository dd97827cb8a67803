import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DeliveryPrismaService } from '@shop/delivery/data-access';
import { DeliveryRepository, DueBefore } from '../deliveries/delivery.repository';
import { COURIER_CONCURRENCY } from '../config/delivery.config';
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

/**
 * The simulated courier: moves due deliveries one step at a time, each step
 * in its own transaction with its outbox event. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of instances can run it side by side.
 */
@Injectable()
export class CourierService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Courier');
  private readonly loop: CourierLoop;

  constructor(
    private readonly db: DeliveryPrismaService,
    private readonly deliveries: DeliveryRepository,
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

  /** Before the database module closes (modules are destroyed from the root down), so no step is cut off. */
  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** A delivery was scheduled or dispatched: with a delay of 0 its next step is due now. */
  wake(): void {
    if (this.automatic) this.loop.wake();
  }

  /** Claims one due delivery and takes its next step; false when nothing is due. */
  async stepOne(now = new Date()): Promise<boolean> {
    const moved = await this.db.$transaction(async (tx) => {
      const delivery = await this.deliveries.claimDue(tx, this.dueBefore(now));
      if (!delivery) return false;
      delivery.advance(new Date());
      await this.deliveries.save(tx, delivery);
      return true;
    });
    return moved;
  }

  private dueBefore(now: Date): DueBefore {
    const { dispatchDelayMs, completeDelayMs } = this.options;
    return {
      scheduled: dispatchDelayMs >= 0 ? new Date(now.getTime() - dispatchDelayMs) : undefined,
      dispatched: completeDelayMs >= 0 ? new Date(now.getTime() - completeDelayMs) : undefined,
    };
  }
}
