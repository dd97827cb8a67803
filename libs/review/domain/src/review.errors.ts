import { DomainError, DomainErrorKind } from '@shop/shared/kernel';

export type ReviewErrorCode = 'INVALID_REVIEW' | 'NOT_REVIEWABLE' | 'ALREADY_REVIEWED';

const KINDS: Record<ReviewErrorCode, DomainErrorKind> = { INVALID_REVIEW: 'invalid', NOT_REVIEWABLE: 'forbidden', ALREADY_REVIEWED: 'conflict' };

/** Expected failures of the review domain, with stable codes the edges map to HTTP or dead-letter. */
export class ReviewError extends DomainError<ReviewErrorCode> {
  get kind(): DomainErrorKind {
    return KINDS[this.code];
  }
}
