import { Injectable } from '@nestjs/common';

/**
 * "A delivery may be due now": raised by a use case once what it wrote is
 * visible to others (after its unit committed), so whoever moves due
 * deliveries looks at once rather than at its next poll. The deliveries own
 * the signal; the courier listens to it, and nothing here knows the courier.
 */
@Injectable()
export class DeliveryDueSignal {
  private readonly listeners = new Set<() => void>();

  raise(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every raise until the returned function is called. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
