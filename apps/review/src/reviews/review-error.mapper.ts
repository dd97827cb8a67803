import { ReviewError, ReviewErrorCode } from '@shop/review/domain';
import { ProblemException } from '@shop/platform/http';

const STATUS: Record<ReviewErrorCode, number> = { INVALID_REVIEW: 400, NOT_REVIEWABLE: 403, ALREADY_REVIEWED: 409 };

/** The HTTP edge's reading of domain failures. */
export function toProblem(err: unknown): unknown {
  if (err instanceof ReviewError) return new ProblemException(STATUS[err.code], err.message);
  return err;
}
