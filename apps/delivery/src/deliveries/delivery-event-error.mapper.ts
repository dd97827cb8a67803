import { DeliveryError } from '@shop/delivery/domain';
import { NonRetryableError } from '@shop/platform/messaging';

/** The consumer edge's reading of domain failures: a broken rule will not heal on retry, so dead-letter it at once. */
export function toConsumerError(err: unknown): unknown {
  return err instanceof DeliveryError ? new NonRetryableError(err.message, err.code) : err;
}
