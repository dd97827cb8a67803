import { DeliveryError } from '@shop/delivery/domain';
import { ProblemException } from '@shop/platform/http';

/** The HTTP edge's reading of domain failures: a step the delivery's state does not allow is a conflict. */
export function toProblem(err: unknown): unknown {
  if (err instanceof DeliveryError) {
    return new ProblemException(err.code === 'INVALID_DELIVERY' ? 400 : 409, err.message, { code: err.code });
  }
  return err;
}
