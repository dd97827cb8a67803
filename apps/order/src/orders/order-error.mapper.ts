import { OrderError } from '@shop/order/domain';
import { ProblemException } from '@shop/platform/http';

/** The HTTP edge's reading of domain failures. */
export function toProblem(err: unknown): unknown {
  if (err instanceof OrderError) {
    if (err.code === 'NOT_CANCELLABLE' || err.code === 'ILLEGAL_TRANSITION') return new ProblemException(409, err.message);
    return new ProblemException(422, err.message);
  }
  return err;
}
