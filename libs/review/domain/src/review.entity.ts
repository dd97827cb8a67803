import { ReviewError } from './review.errors';
import { ReviewGrant } from './review-grant.value';

export interface ReviewProps {
  id: string;
  productId: string;
  orderId: string;
  customerId: string;
  rating: number;
  comment: string | null;
}

/** A review as the read side serves it: what was written, and when it was stored (a time the database keeps). */
export interface StoredReview extends ReviewProps {
  createdAt: Date;
}

/** What happened to a review, with the version it reached; the app turns these into integration events. */
export type ReviewEvent = { type: 'created'; version: number };

export const MAX_COMMENT_LENGTH = 2_000;

/**
 * A customer's rating (and optional words) of a product they received. It is
 * written only through `write`, against the grant its delivered order gave,
 * which records its one event; a review never changes after, so it stays at
 * version 1.
 */
export class ReviewEntity {
  private pending: ReviewEvent[] = [];

  private constructor(private readonly props: ReviewProps) {}

  /**
   * Writes a review when the input is valid and the grant is the author's own,
   * unused right to review this product of this order. Without one (no such
   * order, not delivered, someone else's, product not in it) the product is
   * not reviewable by them; a used grant means they already reviewed it.
   */
  static write(
    input: { id: string; productId: string; orderId: string; customerId: string; rating: number; comment?: string | null },
    grant: ReviewGrant | null,
  ): ReviewEntity {
    const comment = input.comment?.trim() || null;
    const problems: string[] = [];
    if (!Number.isSafeInteger(input.rating) || input.rating < 1 || input.rating > 5) problems.push('rating must be an integer from 1 to 5');
    if (comment && comment.length > MAX_COMMENT_LENGTH) problems.push(`comment must be at most ${MAX_COMMENT_LENGTH} characters`);
    if (problems.length) throw new ReviewError('INVALID_REVIEW', problems.join('; '));

    const author = { customerId: input.customerId, productId: input.productId, orderId: input.orderId };
    if (!grant?.covers(author)) {
      throw new ReviewError('NOT_REVIEWABLE', `product ${input.productId} is not reviewable through order ${input.orderId}: no delivered order of yours contains it`);
    }
    if (grant.used) throw new ReviewError('ALREADY_REVIEWED', `product ${input.productId} was already reviewed for order ${input.orderId}`);
    const review = new ReviewEntity({ ...author, id: input.id, rating: input.rating, comment });
    review.pending.push({ type: 'created', version: 1 });
    return review;
  }

  get snapshot(): Readonly<ReviewProps> {
    return { ...this.props };
  }

  /** The events recorded since the last call, oldest first; the caller publishes them with the state. */
  pullEvents(): ReviewEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
