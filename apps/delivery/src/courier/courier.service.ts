import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DueBefore } from '@shop/delivery/domain';
import { COURIER_CONCURRENCY } from '../config/delivery.config';
import { AdvanceDueDeliveriesHandler } from '../deliveries/advance-delivery/advance-due-deliveries.handler';
import { DeliveryDueSignal } from '../deliveries/delivery-due.signal';
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
 * The simulated courier: when to move deliveries, not how. It runs the
 * courier's round (AdvanceDueDeliveriesHandler) in its loop, with what is due
 * according to its delays, and looks at once when the deliveries signal that
 * one may be due now.
 */
@Injectable()
export class CourierService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Courier');
  private readonly loop: CourierLoop;
  private unlisten?: () => void;

  constructor(
    private readonly round: AdvanceDueDeliveriesHandler,
    private readonly due: DeliveryDueSignal,
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
    if (!this.automatic) return;
    // A delivery scheduled or dispatched with a delay of 0 has its next step due now.
    this.unlisten = this.due.listen(() => this.loop.wake());
    this.loop.start();
  }

  /** Before the database closes (the pool ends last, at application shutdown), so no step is cut off. */
  async onModuleDestroy(): Promise<void> {
    this.unlisten?.();
    await this.loop.stop();
  }

  /** One round of what is due now; true when it took a full batch, so more may be due. */
  stepOne(now = new Date()): Promise<boolean> {
    return this.round.execute(this.dueBefore(now));
  }

  private dueBefore(now: Date): DueBefore {
    const { dispatchDelayMs, completeDelayMs } = this.options;
    return {
      scheduled: dispatchDelayMs >= 0 ? new Date(now.getTime() - dispatchDelayMs) : undefined,
      dispatched: completeDelayMs >= 0 ? new Date(now.getTime() - completeDelayMs) : undefined,
    };
  }
}
