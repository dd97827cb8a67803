/** Expected failures of the review domain, with stable codes the edges map to HTTP or dead-letter. */
export type ReviewErrorCode = 'INVALID_REVIEW' | 'NOT_REVIEWABLE' | 'ALREADY_REVIEWED';

export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}
